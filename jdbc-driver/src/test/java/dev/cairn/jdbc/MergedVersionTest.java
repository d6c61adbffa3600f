package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.SessionCounters;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.wire.ContentId;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table version read through one merged DuckDB table once its batches are resident: the
 * same rows as through the union of its batches, pruning still skipping batches, a merged
 * table dropped when one of its batches leaves the cache, and exact answers for sessions that
 * query while another merges. Each test has a runtime of its own (its own cache directory).
 */
class MergedVersionTest {
  private static final int ROWS = 2_000;

  @TempDir
  static Path dir;
  static TestCluster cluster;
  static PublishResult published;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
    published = cluster.publishKeyedInSmallBatches("merged", ROWS);
    assertTrue(published.batches() >= 10, "many batches: " + published.batches());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Connection connect(String runtime) throws SQLException {
    return DriverManager.getConnection(cluster.url() + "?cache.dir=" + dir.resolve(runtime));
  }

  private static List<List<String>> query(Connection c, String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          Object v = rs.getObject(i);
          row.add(v instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString()
              : String.valueOf(v));
        }
        out.add(row);
      }
    }
    return out;
  }

  /** The queries and their answers computed here from the generated rows. */
  private static List<String[]> queriesAndAnswers() {
    long pairs = 0;
    BigDecimal joined = BigDecimal.ZERO;
    StringBuilder listed = new StringBuilder();
    for (int b = 0; b + 1 < ROWS; b++) {
      if (b % 7 == 0) {
        pairs++;
        joined = joined.add(amount(b + 1));
      }
    }
    for (int i = 0; i < ROWS; i += 97) {
      listed.append(i).append(" merged-").append(i).append(';');
    }
    long sum = (long) ROWS * (ROWS - 1) / 2;
    return List.of(
        new String[] {"select count(*), sum(id), sum(amount) from merged",
            ROWS + " " + sum + " " + amount(sum).stripTrailingZeros().toPlainString() + ";"},
        new String[] {"select count(*), sum(a.amount) from merged a join merged b"
            + " on a.id = b.id + 1 where b.id % 7 = 0",
            pairs + " " + joined.stripTrailingZeros().toPlainString() + ";"},
        new String[] {"select id, name from merged where id % 97 = 0 order by id",
            listed.toString()});
  }

  private static BigDecimal amount(long id) {
    return new BigDecimal(id).multiply(new BigDecimal("1.25"));
  }

  private static String flat(List<List<String>> rows) {
    StringBuilder out = new StringBuilder();
    rows.forEach(r -> out.append(String.join(" ", r)).append(';'));
    return out.toString();
  }

  @Test
  void warmReadsGoThroughOneMergedTableAndGiveTheSameRowsAsTheUnion() throws Exception {
    List<String[]> queries = queriesAndAnswers();
    try (Connection c = connect("same-rows")) {
      SessionCounters counters = c.unwrap(CairnSession.class).counters();
      for (String[] q : queries) { // cold, then warm: the first passes load and merge
        assertEquals(q[1], flat(query(c, q[0])), q[0]);
      }
      for (String[] q : queries) {
        assertEquals(q[1], flat(query(c, q[0])), q[0]);
      }
      assertTrue(counters.mergesBuilt() >= 1, counters.toString());
      long built = counters.mergesBuilt();
      long reads = counters.mergedReads();
      long fetched = counters.fetchedBatches();
      for (String[] q : queries) {
        assertEquals(q[1], flat(query(c, q[0])), q[0]);
      }
      assertEquals(queries.size(), counters.mergedReads() - reads, "each query's read of the"
          + " version (the self-join's two sides are one) is the merged table: " + counters);
      assertEquals(built, counters.mergesBuilt(), "nothing more to merge");
      assertEquals(fetched, counters.fetchedBatches());
      assertEquals(1, mergedTables(c), "the wider merged table replaced the narrower one");
    }
  }

  @Test
  void pruningStillSkipsBatchesWithAMergedVersion() throws Exception {
    try (Connection cold = connect("pruning-cold")) {
      SessionCounters counters = cold.unwrap(CairnSession.class).counters();
      assertEquals(List.of(List.of("100", "4950")),
          query(cold, "select count(*), sum(id) from merged where id < 100"));
      assertTrue(counters.prunedBatches() > 0, counters.toString());
      assertEquals(published.batches(), counters.fetchedBatches() + counters.prunedBatches(),
          "only the batches pruning kept are fetched: " + counters);
    }
    try (Connection c = connect("pruning")) {
      SessionCounters counters = c.unwrap(CairnSession.class).counters();
      String all = "select count(*), sum(id) from merged";
      query(c, all);
      query(c, all);
      assertEquals(1, counters.mergesBuilt(), counters.toString());
      long pruned = counters.prunedBatches();
      long reads = counters.mergedReads();
      assertEquals(List.of(List.of("100", "4950")),
          query(c, "select count(*), sum(id) from merged where id < 100"));
      assertTrue(counters.prunedBatches() > pruned, "pruned as before: " + counters);
      assertEquals(reads + 1, counters.mergedReads(), "one run of batches: the merged table");
      pruned = counters.prunedBatches();
      assertEquals(List.of(List.of("2", Long.toString(ROWS))),
          query(c, "select count(*), sum(id) from merged where id in (5, " + (ROWS - 5) + ")"));
      assertTrue(counters.prunedBatches() > pruned, counters.toString());
      assertEquals(reads + 1, counters.mergedReads(), "scattered batches: their union");
    }
  }

  @Test
  void evictingOneBatchDropsTheMergedTableAndAnswersStayExact() throws Exception {
    String sql = "select count(*), sum(id), max(name) from merged";
    List<List<String>> expected = List.of(List.of(Integer.toString(ROWS),
        Long.toString((long) ROWS * (ROWS - 1) / 2), "merged-999"));
    try (Connection c = connect("eviction")) {
      CairnSession session = c.unwrap(CairnSession.class);
      SessionCounters counters = session.counters();
      assertEquals(expected, query(c, sql));
      assertEquals(expected, query(c, sql));
      assertEquals(1, counters.mergesBuilt());
      assertEquals(1, mergedTables(c));
      long bytesWithCopy = session.runtime().cache().residentBytes();
      ContentId victim = cluster.metaClient().head("alice", "merged").orElseThrow().signed()
          .manifest().batches().get(3).id();
      assertTrue(session.runtime().cache().evictIfUnpinned(victim));
      assertEquals(0, mergedTables(c), "the merged table left with its batch");
      assertTrue(session.runtime().cache().residentBytes() < bytesWithCopy);
      long loaded = counters.fetchedBatches() + counters.diskBatches();
      long reads = counters.mergedReads();
      assertEquals(expected, query(c, sql));
      assertEquals(loaded + 1, counters.fetchedBatches() + counters.diskBatches(),
          "the evicted batch alone is loaded again");
      assertEquals(reads, counters.mergedReads(), "read through the union meanwhile");
      assertEquals(expected, query(c, sql));
      assertEquals(2, counters.mergesBuilt(), "merged again once all are resident");
      assertEquals(1, mergedTables(c));
    }
  }

  @Test
  void sessionsQueryingWhileAVersionIsMergedGetExactAnswers() throws Exception {
    String sql = "select count(*), sum(id), sum(amount) from merged where name <> 'x'";
    String expected = queriesAndAnswers().get(0)[1];
    try (Connection first = connect("concurrent")) {
      assertEquals(expected, flat(query(first, sql)), "cold: loads every batch");
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      AtomicLong built = new AtomicLong();
      AtomicLong merged = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread thread = new Thread(() -> {
          try (Connection c = connect("concurrent")) {
            for (int q = 0; q < 10; q++) {
              assertEquals(expected, flat(query(c, sql)));
            }
            SessionCounters counters = c.unwrap(CairnSession.class).counters();
            built.addAndGet(counters.mergesBuilt());
            merged.addAndGet(counters.mergedReads());
          } catch (Throwable e) {
            failures.add(e);
          }
        });
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join(TestCluster.TIMEOUT.toMillis() * 3);
        assertTrue(!thread.isAlive(), "a query thread hung");
      }
      assertTrue(failures.isEmpty(), () -> "failures: " + failures);
      assertEquals(1, built.get(), "one session merged; the others read the union meanwhile");
      assertTrue(merged.get() > 0, "the sessions read the merged table once it was there");
    }
  }

  /** Returns how many merged tables the runtime's DuckDB holds. */
  private static long mergedTables(Connection c) throws SQLException {
    try (Statement s = c.unwrap(CairnSession.class).duckdb().createStatement();
        ResultSet rs = s.executeQuery("select count(*) from duckdb_tables()"
            + " where schema_name = 'cairn_cache' and table_name like 'm\\_%' escape '\\'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
