package dev.cairn.client.fetch;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.NodeClient;
import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.SigningKey;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Storage servers on loopback ports and one connection pool to reach them, closed together:
 * the donors the fetch tests put blobs on before reading them back through a scheduler.
 */
final class LoopbackDonors implements AutoCloseable {
  private static final Duration PUT_TIMEOUT = Duration.ofSeconds(30);

  final ConnectionPool pool;
  private final List<StorageServer> servers = new ArrayList<>();
  private final SigningKey writer = SigningKey.generate(new SecureRandom());

  /** Starts {@code count} donors under {@code dir}; the pool's handshakes time out after
   * {@code handshakeTimeout}. */
  LoopbackDonors(Path dir, int count, Duration handshakeTimeout) {
    pool = new ConnectionPool(handshakeTimeout);
    try {
      for (int i = 0; i < count; i++) {
        servers.add(StorageServer.start(StorageServerConfig.defaults(dir.resolve("node" + i))
            .withListen("127.0.0.1", 0)));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  InetSocketAddress address(int donor) {
    return servers.get(donor).address();
  }

  /** Stores {@code blob} on donor {@code donor}, signed by this fixture's writer key. */
  void put(int donor, ContentId id, byte[] blob) {
    new NodeClient(pool, address(donor), null, PUT_TIMEOUT).put(id, blob, writer);
  }

  @Override
  public void close() {
    pool.close();
    servers.forEach(StorageServer::close);
  }
}
