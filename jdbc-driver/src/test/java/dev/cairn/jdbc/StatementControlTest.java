package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.SessionCounters;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.cluster.Await;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDBC promises a statement keeps, through java.sql against a real cluster: cancel from
 * another thread (while DuckDB runs, and while batches are fetched), the query timeout,
 * maxRows, closeOnCompletion, a connection closed under a running query, a HikariCP pool whose
 * connections are cancelled and reused, and a ten-million-row result read with bounded heap,
 * direct and Arrow memory (DuckDB's native copy of the result is printed, not bounded).
 * Waits are on state (DuckDB executing, a batch fetched), each bounded; no time is asserted.
 */
class StatementControlTest {
  private static final String KEYED = "id BIGINT NOT NULL, amount DECIMAL(15,2), name VARCHAR";
  /** Donors serve this slowly, so a cold scan of {@code slow} takes long enough to cancel. */
  private static final long DOWNLOAD_BYTES_PER_SECOND = 16 * 1024;
  /** About 10^12 rows to count: no test machine finishes it, so only a cancel ends it. */
  private static final String ENDLESS = "select count(*) from range(1000000) a, range(1000000) b"
      + " where a.range * 31 + b.range = 17";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String CANCELLED = "57014";

  @TempDir
  static Path dir;
  static TestCluster cluster;
  static PublishResult slow;
  static PublishResult small;
  static PublishResult shared;
  static final ExecutorService THREADS = Executors.newCachedThreadPool();

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3, DOWNLOAD_BYTES_PER_SECOND);
    slow = cluster.publish("slow", KEYED, DriverIntegrationTest.keyed("slow", 3000),
        PublishRequest.BATCH_TARGET_BYTES_MIN,
        List.of(cluster.meta.address(), cluster.spare.address()));
    small = cluster.publish("small", KEYED, DriverIntegrationTest.keyed("small", 50));
    shared = cluster.publish("shared", KEYED, DriverIntegrationTest.keyed("shared", 8000),
        PublishRequest.BATCH_TARGET_BYTES_MIN,
        List.of(cluster.meta.address(), cluster.spare.address()));
  }

  @AfterAll
  static void stop() {
    THREADS.shutdownNow();
    cluster.close();
  }

  private static Connection connect(String parameters) throws SQLException {
    return DriverManager.getConnection(cluster.url() + parameters);
  }

  /** Waits until DuckDB runs the current query of {@code c}'s session. */
  private static void awaitExecuting(Connection c) throws SQLException {
    CairnSession session = c.unwrap(CairnSession.class);
    Await.until(WAIT, "DuckDB runs the query", session::isExecutingInDuckdb);
  }

  /** Returns the SQLException {@code running} failed with, waiting at most {@link #WAIT}. */
  private static SQLException failure(Future<?> running) throws Exception {
    try {
      running.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException) {
        return (SQLException) e.getCause();
      }
      throw e;
    }
    throw new AssertionError("the query was not stopped");
  }

  private static Future<?> run(Statement s, String sql) {
    return THREADS.submit(() -> {
      try (ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  private static long countSmall(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from small")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void cancelFromAnotherThreadStopsDuckdbAndTheStatementIsReusable() throws Exception {
    try (Connection c = connect(""); Statement s = c.createStatement()) {
      Future<?> running = run(s, ENDLESS);
      awaitExecuting(c);
      s.cancel();
      SQLException e = failure(running);
      assertEquals(CANCELLED, e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().startsWith("CANCELLED: "), e.getMessage());
      assertFalse(c.unwrap(CairnSession.class).isExecutingInDuckdb());
      try (ResultSet rs = s.executeQuery("select count(*) from range(10)")) {
        rs.next();
        assertEquals(10, rs.getLong(1), "the same statement runs again");
      }
      assertEquals(50, countSmall(c));
    }
  }

  @Test
  void cancelStopsTheBatchFetchesAQueryStarted() throws Exception {
    try (Connection c = connect("?fetch.parallelism=1&cache.size=8MiB");
        Statement s = c.createStatement()) {
      SessionCounters counters = c.unwrap(CairnSession.class).counters();
      Future<?> running = run(s, "select count(*), sum(id) from slow");
      Await.until(WAIT, "a first batch is fetched", () -> counters.fetchedBatches() >= 1);
      s.cancel();
      SQLException e = failure(running);
      assertEquals(CANCELLED, e.getSQLState(), e.getMessage());
      long fetched = counters.fetchedBatches();
      assertTrue(fetched < slow.batches(), "stopped after " + fetched + " of " + slow.batches()
          + " batches");
      assertEquals(50, countSmall(c), "the connection still works");
      assertEquals(fetched + small.batches(), counters.fetchedBatches(), "only the next query"
          + " fetched: nothing for the cancelled scan after it ended");
    }
  }

  @Test
  void cancelEndsAWaitForBatchesAnotherConnectionLoads() throws Exception {
    String settings = "?fetch.parallelism=1&cache.size=24MiB"; // one runtime for both
    try (Connection loader = connect(settings); Connection waiter = connect(settings);
        Statement loads = loader.createStatement(); Statement waits = waiter.createStatement()) {
      SessionCounters loading = loader.unwrap(CairnSession.class).counters();
      SessionCounters waiting = waiter.unwrap(CairnSession.class).counters();
      Future<?> first = run(loads, "select count(*) from shared");
      Await.until(WAIT, "the first connection fetches", () -> loading.fetchedBatches() >= 1);
      Future<?> second = run(waits, "select sum(id) from shared");
      Await.until(WAIT, "the second connection waits for the first one's loads",
          () -> waiting.loadWaits() >= 1);
      waits.cancel();
      SQLException e = failure(second);
      assertEquals(CANCELLED, e.getSQLState(), e.getMessage());
      assertEquals(0, waiting.fetchedBatches(), "the waiter fetched nothing itself");
      assertEquals(8000L, first.get(WAIT.toSeconds(), TimeUnit.SECONDS),
          "the loads it waited for went on");
      try (ResultSet rs = waits.executeQuery("select sum(id) from shared")) {
        rs.next();
        assertEquals(8000L * 7999 / 2, rs.getLong(1));
      }
    }
  }

  @Test
  void theQueryTimeoutCancelsAtTheDeadline() throws Exception {
    try (Connection c = connect(""); Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      assertEquals(1, s.getQueryTimeout());
      SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(ENDLESS));
      assertEquals(CANCELLED, e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("timeout"), e.getMessage());
      // A query that ends in time is untouched by the timeout.
      assertEquals(50, countSmall(c));
      try (ResultSet rs = s.executeQuery("select count(*) from small")) {
        rs.next();
        assertEquals(50, rs.getLong(1));
      }
    }
  }

  @Test
  void maxRowsLimitsRowsPushedIntoTheSqlOrNot() throws Exception {
    try (Connection c = connect(""); Statement s = c.createStatement()) {
      s.setMaxRows(7);
      assertEquals(7, s.getMaxRows());
      assertEquals(List.of(49L, 48L, 47L, 46L, 45L, 44L, 43L),
          ids(s.executeQuery("select id from small order by id desc")));
      // Two columns with one name: the SQL is left alone, the result set still stops at 7.
      assertEquals(7, ids(s.executeQuery("select id, id as id from small")).size());
      try (PreparedStatement p = c.prepareStatement("select id from small where id >= ?"
          + " order by id")) {
        p.setMaxRows(3);
        p.setInt(1, 10);
        assertEquals(List.of(10L, 11L, 12L), ids(p.executeQuery()));
      }
      s.setMaxRows(0);
      assertEquals(50, ids(s.executeQuery("select id from small")).size());
      assertThrows(SQLException.class, () -> s.setMaxRows(-1));
    }
  }

  private static List<Long> ids(ResultSet rs) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  @Test
  void closeOnCompletionClosesTheStatementWithItsResult() throws Exception {
    try (Connection c = connect("")) {
      Statement s = c.createStatement();
      s.closeOnCompletion();
      assertTrue(s.isCloseOnCompletion());
      ResultSet rs = s.executeQuery("select count(*) from small");
      assertTrue(rs.next());
      assertFalse(s.isClosed());
      rs.close();
      assertTrue(s.isClosed(), "closed with its result set");

      Statement rerun = c.createStatement();
      rerun.closeOnCompletion();
      rerun.executeQuery("select 1");
      ResultSet second = rerun.executeQuery("select 2");
      assertFalse(rerun.isClosed(), "running again closes the old result, not the statement");
      second.close();
      assertTrue(rerun.isClosed());

      Statement kept = c.createStatement();
      kept.executeQuery("select 1").close();
      assertFalse(kept.isClosed(), "without closeOnCompletion the statement stays open");
      kept.close();
    }
  }

  @Test
  void closingTheConnectionCancelsWhatItsStatementsRun() throws Exception {
    Connection c = connect("");
    Statement s = c.createStatement();
    Future<?> running = run(s, ENDLESS);
    awaitExecuting(c);
    c.close();
    SQLException e = failure(running);
    assertEquals(CANCELLED, e.getSQLState(), e.getMessage());
    assertTrue(c.isClosed());
    assertTrue(s.isClosed(), "the connection closed its statements");
  }

  @Test
  void aHikariPoolReusesConnectionsWhoseQueriesWereCancelled() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(cluster.url());
    config.setMaximumPoolSize(2);
    config.setMinimumIdle(2);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      for (int round = 0; round < 3; round++) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
          Future<?> running = run(s, ENDLESS);
          awaitExecuting(c);
          s.cancel();
          assertEquals(CANCELLED, failure(running).getSQLState());
        }
        try (Connection c = pool.getConnection()) {
          assertEquals(50, countSmall(c), "a pooled connection works after a cancel");
        }
      }
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        s.setQueryTimeout(1);
        assertEquals(CANCELLED, assertThrows(SQLException.class,
            () -> s.executeQuery(ENDLESS)).getSQLState());
      }
      for (int i = 0; i < 4; i++) {
        try (Connection c = pool.getConnection()) {
          assertTrue(c.isValid(5));
          assertEquals(50, countSmall(c));
        }
      }
    }
  }

  @Test
  void tenMillionRowsAreReadWithBoundedJvmMemory() throws Exception {
    long rows = 10_000_000;
    BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
        .stream().filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
    try (Connection c = connect(""); Statement s = c.createStatement()) {
      var runtime = c.unwrap(CairnSession.class).runtime();
      long heapBefore = usedHeapAfterGc();
      long directBefore = direct.getMemoryUsed();
      long maxHeap = 0;
      long maxDirect = 0;
      long maxArrow = 0;
      long read = 0;
      long sum = 0;
      long duckdbBytes = 0;
      long rssBefore = residentBytes();
      long rssMid = 0;
      try (ResultSet rs = s.executeQuery("select t.range as n, t.range * 2 as twice"
          + " from range(" + rows + ") t")) {
        while (rs.next()) {
          sum += rs.getLong(2);
          if (++read % 2_000_000 == 0) {
            maxHeap = Math.max(maxHeap, usedHeapAfterGc() - heapBefore);
            maxDirect = Math.max(maxDirect, direct.getMemoryUsed() - directBefore);
            maxArrow = Math.max(maxArrow, runtime.allocatedBytes());
          }
          if (read == rows / 2) {
            duckdbBytes = duckdbMemory(c);
            rssMid = residentBytes();
          }
        }
      }
      assertEquals(rows, read);
      assertEquals(rows * (rows - 1), sum);
      // The result is 160 MB as two BIGINT columns (more as Java objects); what the reader
      // holds while reading must be a small, fixed part of it.
      long bound = 32L << 20;
      System.out.printf("10M rows: heap +%d B, direct +%d B, Arrow %d B while reading;"
          + " duckdb_memory() %d B; process RSS +%d B%n", maxHeap, maxDirect, maxArrow,
          duckdbBytes, rssMid - rssBefore);
      assertTrue(maxHeap < bound, "heap grew by " + maxHeap + " bytes");
      assertTrue(maxDirect < bound, "direct memory grew by " + maxDirect + " bytes");
      assertTrue(maxArrow < bound, "Arrow holds " + maxArrow + " bytes");
    }
  }

  /** Returns the bytes DuckDB's buffer manager holds (for the record; not asserted). */
  private static long duckdbMemory(Connection c) throws SQLException {
    try (Statement s = c.unwrap(CairnSession.class).duckdb().createStatement();
        ResultSet rs = s.executeQuery("select sum(memory_usage_bytes)::BIGINT from"
            + " duckdb_memory()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Returns the process's resident memory from /proc (for the record; not asserted). */
  private static long residentBytes() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException e) {
      return -1;
    }
    return -1;
  }

  private static long usedHeapAfterGc() {
    System.gc();
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  @Test
  void whatIsNotSupportedSaysSo() throws Exception {
    try (Connection c = connect(""); Statement s = c.createStatement()) {
      assertThrows(SQLFeatureNotSupportedException.class, () -> s.setMaxFieldSize(10));
      s.setMaxFieldSize(0);
      assertThrows(SQLFeatureNotSupportedException.class, () -> s.setEscapeProcessing(true));
      assertThrows(SQLFeatureNotSupportedException.class, () -> s.setCursorName("c"));
      assertThrows(SQLFeatureNotSupportedException.class,
          () -> s.execute("select 1", new int[] {1}));
      assertThrows(SQLFeatureNotSupportedException.class,
          () -> c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE));
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      assertThrows(SQLFeatureNotSupportedException.class,
          () -> c.setHoldability(ResultSet.CLOSE_CURSORS_AT_COMMIT));
      assertThrows(SQLFeatureNotSupportedException.class,
          () -> c.setNetworkTimeout(Runnable::run, 1000));
      assertThrows(SQLFeatureNotSupportedException.class,
          () -> c.prepareStatement("select 1", new String[] {"id"}));
      assertThrows(SQLException.class, () -> s.executeLargeUpdate("delete from small"));
      c.setAutoCommit(false);
      assertFalse(c.getAutoCommit());
      assertEquals(50, countSmall(c));
      c.commit();
    }
  }
}
