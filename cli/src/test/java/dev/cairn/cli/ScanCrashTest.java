package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.client.publish.Publisher;
import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a donor process killed with kill -9 while a SQL scan is fetching from it costs the
 * query nothing but fail-overs: the answer through jdbc:cairn is exactly right.
 */
class ScanCrashTest {
  @TempDir Path dir;

  @Test
  void aScanSurvivesKillNineOfADonorMidway() throws Exception {
    MetadataServiceConfig metaConfig = MetadataServiceConfig.of("127.0.0.1", 0,
        dir.resolve("meta")).withDeadAfter(Duration.ofSeconds(1));
    try (MetadataService meta = MetadataService.start(metaConfig);
        ChildDonors donors = new ChildDonors(dir, meta.address())) {
      List<Process> servers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        servers.add(donors.start(i, ChildDonors.freePort()));
      }
      ChildDonors.awaitLive(meta, 3);
      SigningKey key = ClusterFixtures.key(dir.resolve("w.key"));
      int rows = 300_000;
      PublishResult published = Publisher.publish(PublishRequest.of(List.of(meta.address()),
          key, "crash", "scan", List.of(ClusterFixtures.csv(dir, "rows.csv", rows, 11)))
          .withBatchTargetBytes(256 << 10), ProgressListener.NONE);
      assertTrue(published.batches() >= 20, "many batches: " + published.batches());

      String url = "jdbc:cairn://127.0.0.1:" + meta.address().getPort()
          + "/crash?fetch.parallelism=2&timeout=5s";
      AtomicBoolean killed = new AtomicBoolean();
      try (Connection connection = DriverManager.getConnection(url);
          Statement statement = connection.createStatement()) {
        connection.unwrap(CairnSession.class).setAfterSnapshotHook(() -> {
          if (killed.compareAndSet(false, true)) {
            new Thread(() -> {
              sleepQuietly(20);
              servers.get(0).destroyForcibly(); // SIGKILL while batches are being fetched
            }).start();
          }
        });
        try (ResultSet result = statement.executeQuery(
            "select count(*), sum(id), count(distinct day) from scan")) {
          assertTrue(result.next());
          assertEquals(rows, result.getLong(1));
          assertEquals((long) rows * (rows - 1) / 2, result.getLong(2));
          assertTrue(result.getLong(3) > 1000);
          assertFalse(result.next());
        }
        assertTrue(killed.get());
        assertTrue(servers.get(0).waitFor(ChildDonors.WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(published.batches(),
            connection.unwrap(CairnSession.class).counters().fetchedBatches());
      }
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
