package dev.cairn.spark;

import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.wire.HostPort;
import java.nio.file.Path;
import java.util.List;

/**
 * One donor in a JVM of its own, so a test can kill it as a crash would (SIGKILL): stores in
 * {@code args[0]}, reports to the metadata service {@code args[1]}, prints {@code listening}
 * once it serves, and runs until killed.
 */
public final class DonorMain {
  private DonorMain() {}

  public static void main(String[] args) throws InterruptedException {
    StorageServerConfig config = StorageServerConfig.defaults(Path.of(args[0]))
        .withListen("127.0.0.1", 0)
        .withMetaServices(List.of(HostPort.parse(args[1]).resolve()),
            LocalCluster.HEARTBEAT_INTERVAL)
        .withConnectionsPerAddress(LocalCluster.LOOPBACK_CONNECTIONS_PER_ADDRESS_MAX);
    StorageServer server = StorageServer.start(config);
    System.out.println("listening " + HostPort.format(server.address()));
    Thread.currentThread().join();
  }
}
