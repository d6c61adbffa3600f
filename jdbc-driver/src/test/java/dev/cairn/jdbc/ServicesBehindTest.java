package dev.cairn.jdbc;

import static dev.cairn.jdbc.TestCluster.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a reader answers from the newest head it verified itself when every reachable metadata
 * service is behind it, as in the soak (docs/benchmarks.md): v1 on both services, v2 and v3
 * while service B is down, then A down and B back, offering v1. A reader that saw v3 still
 * answers v3's rows (in memory, and after a restart from its {@code cache.dir}); one that never
 * saw v3 reads what the services offer, v1; and a held head whose writer's freshness promise
 * has lapsed is refused with FROZEN, never answered from, nor replaced by the services' v1.
 */
class ServicesBehindTest {
  private static final Duration TIMEOUT = TestCluster.TIMEOUT;
  private static final String SCHEMA = "n BIGINT NOT NULL";
  /** Polls for a promise to lapse: bounded in count, each poll one query. */
  private static final int EXPIRY_POLLS_MAX = 1_000;

  @TempDir Path dir;
  private TestCluster cluster;
  private LocalCluster local;

  @BeforeEach
  void start() throws IOException {
    cluster = TestCluster.start(dir.resolve("cluster"), 2);
    local = cluster.local();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  /** Publishes {@code rows} rows as alice.{@code table} to {@code metas}. */
  private void publish(String table, int rows, Duration refreshEvery,
      List<InetSocketAddress> metas) throws IOException {
    cluster.publish(table, TestCluster.numbers(rows), metas, request -> request
        .withSchema(SCHEMA).withReplicas(1).withRefreshEvery(refreshEvery));
  }

  @Test
  void aReaderThatSawV3AnswersV3WhileTheOnlyServiceUpOffersV1() throws Exception {
    InetSocketAddress a = local.metas().get(0).address();
    InetSocketAddress b = local.metas().get(1).address();
    String url = "jdbc:cairn://" + HostPort.format(a) + "," + HostPort.format(b) + "/alice";
    publish("t", 1, Duration.ZERO, List.of(a, b));
    local.stopMeta(1);
    publish("t", 2, Duration.ZERO, List.of(a));
    publish("t", 3, Duration.ZERO, List.of(a));
    String cache = "cache.dir=" + dir.resolve("reader");
    try (Connection reader = DriverManager.getConnection(url)) {
      assertEquals(3, count(reader, "t"));
      try (Connection cached = DriverManager.getConnection(url + "?" + cache)) {
        assertEquals(3, count(cached, "t")); // its runtime records v3 in the directory
      }
      Manifest v3 = new MetaClient(cluster.pool, List.of(a), TIMEOUT).head("alice", "t")
          .orElseThrow().signed().manifest();
      local.stopMeta(0);
      local.startMeta(1); // behind: it holds v1 only, and A is not there to gossip from
      awaitHoldersKnown(b, v3);
      assertEquals(List.of(1L), new MetaClient(cluster.pool, List.of(b), TIMEOUT)
          .versions("alice", "t").stream().map(VerifiedHead::version).toList());
      CairnSession session = reader.unwrap(CairnSession.class);
      long heldBefore = session.counters().heldHeads();
      assertEquals(3, count(reader, "t"), "v3, held by this reader, not B's v1");
      assertTrue(session.counters().heldHeads() > heldBefore, session.counters().toString());
      assertEquals(1, count(reader, "t$v1"), "history the services hold still reads");
      assertEquals(3, count(reader, "t$v3"), "the held head is a version like any other");
      assertEquals(List.of(3L), versions(reader), "cairn.versions lists the held head");
      // Another runtime (another cache size) over the same directory, once the first is
      // closed (a live one would refuse the other size): v3 held from the file.
      try (Connection restarted = DriverManager.getConnection(url + "?" + cache
          + "&cache.size=96MiB")) {
        assertEquals(3, count(restarted, "t"));
      }
    }
    // A runtime that never saw v3 reads what the services offer.
    try (Connection fresh = DriverManager.getConnection("jdbc:cairn://" + HostPort.format(b)
        + "/alice?cache.size=80MiB")) {
      assertEquals(1, count(fresh, "t"));
    }
  }

  @Test
  void aHeldHeadPastItsWritersPromiseIsRefusedAsFrozen() throws Exception {
    InetSocketAddress a = local.metas().get(0).address();
    InetSocketAddress b = local.metas().get(1).address();
    String url = "jdbc:cairn://" + HostPort.format(a) + "," + HostPort.format(b) + "/alice";
    // Long enough that the first read below falls inside it on a loaded machine (the reader
    // connects first, so only the publish and one query run within it).
    Duration promise = Duration.ofSeconds(8);
    publish("f", 1, promise, List.of(a, b));
    try (Connection reader = DriverManager.getConnection(url)) {
      local.stopMeta(1);
      publish("f", 3, promise, List.of(a));
      VerifiedHead v3 = new MetaClient(cluster.pool, List.of(a), TIMEOUT).head("alice", "f")
          .orElseThrow();
      long seen = count(reader, "f");
      assertEquals(3, seen, "read while its promise held (else this test cannot tell)");
      local.stopMeta(0);
      local.startMeta(1);
      awaitHoldersKnown(b, v3.signed().manifest());
      SQLException refused = null;
      for (int poll = 0; poll < EXPIRY_POLLS_MAX && refused == null; poll++) {
        try {
          assertEquals(3, count(reader, "f"), "only v3, while its promise holds");
          Thread.sleep(50);
        } catch (SQLException e) {
          refused = e;
        }
      }
      if (refused == null) {
        fail("v3 was never refused after " + EXPIRY_POLLS_MAX + " polls");
      }
      assertEquals("55000", refused.getSQLState(), refused.getMessage());
      assertTrue(refused.getMessage().startsWith("FROZEN: newest head of alice.f expired at "
          + Instant.ofEpochMilli(v3.expiresAtMillis())), refused.getMessage());
      assertEquals(1, count(reader, "f$v1"), "history is not subject to freshness");
    }
  }

  /**
   * Waits until {@code service}, just restarted, lists a holder of every batch of {@code
   * manifest} again: the donors report their holdings with their next heartbeats. Until then
   * nobody could read the batches, whatever the head.
   */
  private void awaitHoldersKnown(InetSocketAddress service, Manifest manifest) {
    MetaClient client = new MetaClient(cluster.pool, List.of(service), TIMEOUT);
    List<ContentId> ids = manifest.batches().stream().map(BatchRef::id).toList();
    Await.until(TIMEOUT, "holders of " + ids.size() + " batches listed by " + service,
        () -> "not yet", () -> client.placement(1, ids).stream()
            .allMatch(p -> !p.holders().isEmpty()));
  }

  private static List<Long> versions(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select max(version) from cairn.versions"
            + " where table_name = 't'")) {
      rs.next();
      return List.of(rs.getLong(1));
    }
  }
}
