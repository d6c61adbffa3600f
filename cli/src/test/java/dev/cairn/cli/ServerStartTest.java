package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.Await;
import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal (issue 15): a donor started from a config file alone listens and registers where the
 * file says, not on a flag default; it logs its effective settings once; and a second {@code
 * cairn server} or {@code cairn meta} on a data directory in use fails with a named error and
 * exit code 1, while the first keeps running.
 */
class ServerStartTest {
  private static final Duration WAIT = ChildDonors.WAIT;

  @TempDir Path dir;

  @Test
  void aDonorConfiguredByFileAloneListensThereAndItsDirectoryIsLocked() throws Exception {
    MetadataServiceConfig metaConfig = MetadataServiceConfig.of("127.0.0.1", 0,
        dir.resolve("meta"));
    int port = ChildDonors.freePort();
    Path data = dir.resolve("donor1");
    Path file = dir.resolve("donor.properties");
    Path firstLog = dir.resolve("first.log");
    try (MetadataService meta = MetadataService.start(metaConfig)) {
      Files.writeString(file, String.join("\n", "listen = 127.0.0.1:" + port, "data = " + data,
          "meta = 127.0.0.1:" + meta.address().getPort(), "heartbeat-interval = 200ms",
          "default-quota = 3GiB", ""));
      Process first = ChildDonors.cairn(firstLog, "server", "--config", file.toString());
      try {
        ChildDonors.awaitLive(meta, 1);
        assertEquals(List.of("127.0.0.1:" + port), registeredAddresses(meta));
        try (Socket socket = new Socket("127.0.0.1", port)) {
          assertTrue(socket.isConnected());
        }
        String log = await(firstLog, "settings: listen=127.0.0.1:" + port);
        assertTrue(log.contains("default-quota=3.0 GiB"), log);
        assertTrue(log.contains("capacity="), log);

        Path secondLog = dir.resolve("second.log");
        Process second = ChildDonors.cairn(secondLog, "server", "--data", data.toString(),
            "--listen", "127.0.0.1:0");
        assertTrue(second.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "second start ends");
        String refusal = Files.readString(secondLog);
        assertEquals(Main.EXIT_FAILED, second.exitValue(), refusal);
        assertTrue(refusal.contains("IO_ERROR") && refusal.contains(data + " is in use by "
            + "another running cairn server"), refusal);
        assertTrue(first.isAlive(), "the first donor keeps running");
      } finally {
        first.destroyForcibly();
        first.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      CliRun metaAgain = CliRun.of("meta", "--data", dir.resolve("meta").toString(),
          "--listen", "127.0.0.1:0");
      assertEquals(Main.EXIT_FAILED, metaAgain.exit());
      assertTrue(metaAgain.err().contains("is in use by another running cairn meta"),
          metaAgain.err());
    }
  }

  private static List<String> registeredAddresses(MetadataService meta) {
    try (ConnectionPool pool = new ConnectionPool(ClusterFixtures.TIMEOUT)) {
      MetaClient client = new MetaClient(pool, List.of(meta.address()),
          ClusterFixtures.TIMEOUT);
      return client.nodes().stream().map(NodeInfo::address).toList();
    }
  }

  /** Waits, bounded, until {@code log} contains {@code text}; returns the log. */
  private static String await(Path log, String text) {
    Await.until(WAIT, "'" + text + "' in " + log, () -> read(log).contains(text));
    return read(log);
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
