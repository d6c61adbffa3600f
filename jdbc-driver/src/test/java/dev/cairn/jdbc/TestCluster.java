package dev.cairn.jdbc;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.client.publish.Publisher;
import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real metadata services (a main one and a spare that can be left behind) and three real
 * storage servers on loopback that heartbeat to both; publishes CSV text as the writer of
 * schema {@code alice}.
 */
final class TestCluster implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final Duration HEARTBEAT = Duration.ofMillis(100);
  private static final long WAIT_STEP_MS = 50;

  final Path dir;
  final MetadataService meta;
  final MetadataService spare;
  final List<StorageServer> servers = new ArrayList<>();
  final ConnectionPool pool = new ConnectionPool(TIMEOUT);
  final SigningKey writer = SigningKey.generate(new SecureRandom());
  private int files;

  private TestCluster(Path dir, MetadataService meta, MetadataService spare) {
    this.dir = dir;
    this.meta = meta;
    this.spare = spare;
  }

  static TestCluster start(Path dir, int serverCount) throws InterruptedException {
    TestCluster c = new TestCluster(dir,
        MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0, dir.resolve("meta"))),
        MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0, dir.resolve("spare"))));
    try {
      for (int i = 0; i < serverCount; i++) {
        c.servers.add(StorageServer.start(StorageServerConfig.defaults(dir.resolve("node" + i))
            .withListen("127.0.0.1", 0)
            .withMetaServices(List.of(c.meta.address(), c.spare.address()), HEARTBEAT)
            .withStorage(1L << 30, 1L << 30, Map.of())));
      }
      c.awaitLive(c.meta.address(), serverCount);
      c.awaitLive(c.spare.address(), serverCount);
      return c;
    } catch (RuntimeException | InterruptedException e) {
      c.close();
      throw e;
    }
  }

  String url() {
    return "jdbc:cairn://" + hostPort(meta.address()) + "/alice";
  }

  static String hostPort(InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }

  MetaClient metaClient() {
    return new MetaClient(pool, List.of(meta.address()), TIMEOUT);
  }

  /** Publishes {@code csv} (header included) as alice.{@code table} to the given services. */
  PublishResult publish(String table, String schema, String csv, long batchTargetBytes,
      List<InetSocketAddress> metas) throws IOException {
    Path file = dir.resolve("input" + (files++) + ".csv");
    Files.writeString(file, csv);
    return Publisher.publish(PublishRequest.of(metas, writer, "alice", table, List.of(file))
        .withSchema(schema).withBatchTargetBytes(batchTargetBytes), ProgressListener.NONE);
  }

  PublishResult publish(String table, String schema, String csv) throws IOException {
    return publish(table, schema, csv, PublishRequest.BATCH_TARGET_BYTES_DEFAULT,
        List.of(meta.address(), spare.address()));
  }

  private void awaitLive(InetSocketAddress service, int count) throws InterruptedException {
    MetaClient client = new MetaClient(pool, List.of(service), TIMEOUT);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (client.nodes().stream().filter(NodeInfo::live).count() >= count) {
        return;
      }
      Thread.sleep(WAIT_STEP_MS);
    }
    throw new CairnException(ErrorCode.BUSY, "storage nodes did not become live in time");
  }

  @Override
  public void close() {
    pool.close();
    servers.forEach(StorageServer::close);
    meta.close();
    spare.close();
  }
}
