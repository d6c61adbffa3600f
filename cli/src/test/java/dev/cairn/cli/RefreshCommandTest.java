package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.cluster.LocalCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: {@code cairn publish --refresh-every} puts the promise in the signed manifest and
 * sends a first head timestamp; {@code cairn refresh} extends it, within its documented
 * bounds, and refuses by name what it cannot do. The promise is an hour, so nothing here
 * depends on timing.
 */
class RefreshCommandTest {
  private static final long HOUR = 3_600_000L;

  @TempDir Path dir;

  @Test
  void publishPromisesAndRefreshExtendsTheHeadsValidity() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
        LocalCluster.Options.of(1));
        ConnectionPool pool = new ConnectionPool(ClusterFixtures.TIMEOUT)) {
      ClusterFixtures.key(dir.resolve("alice.key"));
      String key = dir.resolve("alice.key").toString();
      String meta = cluster.metaHostPort();
      Path input = ClusterFixtures.csv(dir, "rows.csv", 100, 1);
      assertEquals(2, CliRun.of("publish", "--meta", meta, "--key", key, "--table",
          "alice.rows", "--replicas", "1", "--refresh-every", "500ms", input.toString()).exit());
      assertEquals(0, CliRun.of("publish", "--meta", meta, "--key", key, "--table",
          "alice.rows", "--replicas", "1", "--refresh-every", "1h", input.toString()).exit());

      MetaClient client = ClusterFixtures.metaClient(pool, cluster.metaAddress());
      VerifiedHead head = client.head("alice", "rows").orElseThrow();
      assertEquals(HOUR, head.signed().manifest().refreshEveryMillis());
      assertNotNull(head.timestamp(), "publish sent a first timestamp");
      long first = head.timestamp().validUntilMillis();

      CliRun refreshed = CliRun.of("refresh", "--meta", meta, "--key", key, "--table",
          "alice.rows", "--valid-for", "2h");
      assertEquals(0, refreshed.exit(), refreshed.err());
      assertTrue(refreshed.out().startsWith("refreshed alice.rows version 1 (manifest "),
          refreshed.out());
      long second = client.head("alice", "rows").orElseThrow().timestamp().validUntilMillis();
      assertTrue(second > first + HOUR / 2, first + " then " + second);

      CliRun tooLong = CliRun.of("refresh", "--meta", meta, "--key", key, "--table",
          "alice.rows", "--valid-for", "3h");
      assertEquals(1, tooLong.exit());
      assertTrue(tooLong.err().contains("BAD_FORMAT: --valid-for must be more than 0 and at most"
          + " 2h"), tooLong.err());

      assertEquals(0, CliRun.of("publish", "--meta", meta, "--key", key, "--table",
          "alice.plain", "--replicas", "1", input.toString()).exit());
      assertNull(client.head("alice", "plain").orElseThrow().timestamp());
      CliRun nothing = CliRun.of("refresh", "--meta", meta, "--key", key, "--table",
          "alice.plain");
      assertEquals(1, nothing.exit());
      assertTrue(nothing.err().contains("BAD_FORMAT: plain version 1 was published without "
          + "--refresh-every"), nothing.err());

      ClusterFixtures.key(dir.resolve("mallory.key"));
      CliRun stranger = CliRun.of("refresh", "--meta", meta, "--key",
          dir.resolve("mallory.key").toString(), "--table", "alice.rows");
      assertEquals(1, stranger.exit());
      assertTrue(stranger.err().contains("UNAUTHORIZED: "), stranger.err());
    }
  }

  @Test
  void helpTellsHowToRunItFromCron() {
    CliRun help = CliRun.of("refresh", "--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().contains("cron"), help.out());
    assertTrue(help.out().contains("--valid-for=DURATION"), help.out());
    CliRun publish = CliRun.of("publish", "--help");
    assertTrue(publish.out().contains("--refresh-every=DURATION"), publish.out());
  }
}
