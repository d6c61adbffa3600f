package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.Publisher;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.server.heal.HealConfig;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: {@code cairn join} on a fresh directory makes a member of a running cluster in one
 * command: its donor registers and, within a bounded time, holds a share of the blobs
 * (placement and repair move them to it), the JDBC URL it prints answers a query as that
 * node, its settings land in the one config file of its one directory, {@code cairn
 * status} shows its ledger columns, and a second join from that directory reuses its key and
 * config file and its shell answers as the node.
 */
class JoinCommandTest {
  private static final Duration LIMIT = Duration.ofSeconds(40);
  private static final int ROWS = 3_000;

  @TempDir Path dir;

  @Test
  void joinMakesAMemberThatHoldsBlobsAndQueries() throws Exception {
    HealConfig fast = HealConfig.defaults().withRepair(Duration.ofMillis(300), 0);
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), LocalCluster.Options.of(3)
        .withHeartbeatInterval(LocalCluster.HEARTBEAT_INTERVAL_QUICK).withHeal(fast))) {
      publish(cluster);
      Path member = dir.resolve("member");
      AtomicReference<StorageServer> joined = new AtomicReference<>();
      JoinCommand.onStarted = joined::set;
      CompletableFuture<Integer> join = CompletableFuture.supplyAsync(() -> Main.execute(
          "join", "--data", member.toString(), "--meta", cluster.metaHostPort(),
          "--give", "1GiB", "--up", "10MiB/s", "--down", "50MiB/s",
          "--listen", "127.0.0.1:0", "--schema", "alice", "--serve-jdbc"));
      try {
        Await.until(LIMIT, "cairn join started its donor", () -> joined.get() != null
            || join.isDone());
        StorageServer donor = joined.get();
        assertTrue(donor != null, "join ended early with exit code " + join.getNow(null));
        Await.until(LIMIT, "the joined node holds a share of the blobs",
            () -> donor.store().count() > 0);
        assertEquals(1L << 30, donor.store().capacityBytes());
        assertEquals(10L << 20, donor.config().downloadBytesPerSecond());
        assertEquals(50L << 20, donor.config().uploadBytesPerSecond());

        String url = "jdbc:cairn://" + cluster.metaHostPort() + "/alice?node.key="
            + member.toAbsolutePath().resolve("node.key") + "&cache.dir="
            + member.toAbsolutePath().resolve(JoinCommand.CACHE_DIR);
        try (Connection connection = DriverManager.getConnection(url);
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("select count(*), sum(fare) from trips")) {
          rows.next();
          assertEquals(ROWS, rows.getLong(1));
        }
        String config = Files.readString(member.resolve(JoinCommand.CONFIG_FILE));
        assertTrue(config.contains("capacity=1GiB") && !config.contains("readers"), config);

        String status = run("status", "--meta", cluster.metaHostPort());
        assertTrue(status.contains("CREDIT") && status.contains("READ")
            && status.contains(donor.nodeKey().fingerprint().toString()), status);
      } finally {
        if (joined.get() != null) {
          joined.get().shutdown(Duration.ZERO);
        }
        JoinCommand.onStarted = server -> { };
      }
      assertEquals(0, join.get(LIMIT.toSeconds(), TimeUnit.SECONDS));

      // Joining again from the same directory reuses its key and its config file, and the
      // shell (one statement here) answers as the node.
      String again = run("join", "--data", member.toString(), "-e",
          "select count(*) as n from alice.trips");
      assertTrue(again.contains(String.valueOf(ROWS)), again);
      assertTrue(again.contains(joined.get().nodeKey().fingerprint().toString()), again);
    }
  }

  @Test
  void helpExplainsJoiningToANewcomer() {
    String help = run("join", "--help");
    for (String word : List.of("--give", "--up", "--down", "--serve-jdbc", "node.key",
        JoinCommand.CONFIG_FILE)) {
      assertTrue(help.contains(word), word + " in " + help);
    }
  }

  private void publish(LocalCluster cluster) throws Exception {
    StringBuilder csv = new StringBuilder("id,fare\n");
    for (int i = 0; i < ROWS; i++) {
      csv.append(i).append(',').append(i % 89).append(".50\n");
    }
    Path file = dir.resolve("trips.csv");
    Files.writeString(file, csv);
    Publisher.publish(PublishRequest.of(cluster.metaAddresses(),
        SigningKey.generate(new SecureRandom()), "alice", "trips", List.of(file))
        .withSchema("id BIGINT, fare DECIMAL(10,2)").withBatchTargetBytes(4_096),
        ProgressListener.NONE);
  }

  private static String run(String... args) {
    return CliRun.output(args);
  }
}
