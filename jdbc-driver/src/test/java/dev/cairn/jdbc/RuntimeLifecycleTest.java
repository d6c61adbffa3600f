package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cairn.calcite.runtime.CairnRuntime;
import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.cluster.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who owns the reader's runtime: a {@link CairnDataSource} owns one and frees everything when
 * closed (threads, Arrow memory, file descriptors, DuckDB); {@code DriverManager} connections
 * share one per set of runtime settings, counted, and freed with the last connection.
 */
class RuntimeLifecycleTest {
  private static final String KEYED = "id BIGINT NOT NULL, amount DECIMAL(15,2), name VARCHAR";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path FDS = Path.of("/proc/self/fd");

  @TempDir
  static Path dir;
  static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
    cluster.publish("life", KEYED, DriverIntegrationTest.keyed("life", 2000),
        PublishRequest.BATCH_TARGET_BYTES_MIN * 8,
        List.of(cluster.meta.address(), cluster.spare.address()));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** What one life of a data source leaves to look at once it closed. */
  private record Closed(CairnRuntime runtime, DuckDBConnection duckdb, Connection first,
      Connection second) { }

  /**
   * Opens a data source, reads through two connections (leaving the second with an open
   * statement and result set, as a careless application would), and closes the data source.
   */
  private static Closed oneLife() throws Exception {
    Connection first;
    Connection second;
    CairnRuntime runtime;
    DuckDBConnection duckdb;
    try (CairnDataSource source = new CairnDataSource()) {
      source.setUrl(cluster.url());
      source.setCacheSize("64MiB");
      source.setFetchParallelism(4);
      source.setTimeout("10s");
      first = source.getConnection();
      second = source.getConnection();
      try (Statement s = first.createStatement();
          ResultSet rs = s.executeQuery("select count(*), sum(id) from life")) {
        rs.next();
        assertEquals(2000, rs.getLong(1));
        assertEquals(2000L * 1999 / 2, rs.getLong(2));
      }
      ResultSet open = second.createStatement().executeQuery("select max(name) from life");
      open.next();
      assertEquals("life-999", open.getString(1));
      CairnSession session = first.unwrap(CairnSession.class);
      runtime = session.runtime();
      duckdb = session.duckdb();
      assertSame(runtime, second.unwrap(CairnSession.class).runtime());
      assertFalse(runtime.isClosed());
      assertThrows(IllegalStateException.class, () -> source.setCacheSize("1GiB"),
          "settings are fixed once the runtime runs");
    }
    return new Closed(runtime, duckdb, first, second);
  }

  /**
   * Returns the open file descriptors of this JVM but the cluster's own files: the donors
   * (in this JVM too) open blob files while they serve, on their own schedule.
   */
  private static long openFileDescriptors() {
    return openFiles().stream().filter(f -> !f.startsWith(dir.toString())).count();
  }

  /** Returns what each open file descriptor points at (sockets, pipes, files). */
  private static List<String> openFiles() {
    try (Stream<Path> fds = Files.list(FDS)) {
      return fds.map(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          return "(closed)";
        }
      }).collect(Collectors.toList());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> newFiles(List<String> before) {
    List<String> now = openFiles();
    for (String file : before) {
      now.remove(file);
    }
    return now;
  }

  /** Threads a runtime or its sessions start: load, timer, network and fetch threads. */
  private static Map<Long, String> cairnThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("cairn-"))
        .collect(Collectors.toMap(Thread::getId, Thread::getName));
  }

  @Test
  void closingADataSourceLeavesNothingBehind() throws Exception {
    assertTrue(Files.isDirectory(FDS), "this test counts file descriptors in /proc/self/fd");
    // A first life loads every class, DuckDB's native library and the JIT's work: none of that
    // is the data source's to free, so the baseline is taken after it.
    Closed warmUp = oneLife();
    assertTrue(warmUp.runtime().isClosed());
    Set<Long> before = cairnThreads().keySet();
    Map<Long, String> baseline = cairnThreads();
    long fdsBefore = openFileDescriptors();
    List<String> filesBefore = openFiles();

    Closed life = oneLife();
    assertTrue(life.runtime().isClosed());
    assertEquals(0, life.runtime().allocatedBytes(), "Arrow direct memory is all returned");
    assertTrue(life.duckdb().isClosed(), "the session's DuckDB connection is closed");
    assertTrue(life.first().isClosed() && life.second().isClosed(),
        "closing the data source closed its connections");
    SQLException closed = assertThrows(SQLException.class,
        () -> life.second().createStatement());
    assertEquals("08006", closed.getSQLState());
    Await.until(WAIT, "the data source's threads end",
        () -> "still running: " + newThreads(before) + " (before: " + baseline + ")",
        () -> newThreads(before).isEmpty());
    Await.until(WAIT, "file descriptors return to the baseline",
        () -> openFileDescriptors() + " open, " + fdsBefore + " before; new: "
            + newFiles(filesBefore),
        () -> openFileDescriptors() <= fdsBefore);
  }

  private static Map<Long, String> newThreads(Set<Long> before) {
    Map<Long, String> now = cairnThreads();
    now.keySet().removeAll(before);
    return now;
  }

  @Test
  void aClosedDataSourceGivesNoConnection() throws Exception {
    CairnDataSource source = new CairnDataSource();
    SQLException noUrl = assertThrows(SQLException.class, source::getConnection);
    assertEquals("08001", noUrl.getSQLState());
    source.setUrl(cluster.url() + "?cache.size=32MiB");
    source.setCacheSize("64MiB");
    SQLException twice = assertThrows(SQLException.class, source::getConnection);
    assertEquals("08001", twice.getSQLState());
    assertTrue(twice.getMessage().startsWith("BAD_CONFIG: property cache.size"),
        twice.getMessage());
    source.setCacheSize(null);
    try (Connection c = source.getConnection()) {
      assertTrue(c.isValid(5));
    }
    source.close();
    assertTrue(source.isClosed());
    assertThrows(SQLException.class, source::getConnection);
    assertThrows(java.sql.SQLFeatureNotSupportedException.class,
        () -> source.getConnection("alice", "secret"));
  }

  @Test
  void aHikariPoolOverADataSourceLeavesTheRuntimeToItsOwner() throws Exception {
    CairnRuntime runtime;
    try (CairnDataSource cairn = new CairnDataSource()) {
      cairn.setUrl(cluster.url());
      cairn.setCacheSize("32MiB");
      HikariConfig config = new HikariConfig();
      config.setDataSource(cairn);
      config.setMaximumPoolSize(2);
      try (HikariDataSource pool = new HikariDataSource(config)) {
        for (int i = 0; i < 4; i++) {
          try (Connection c = pool.getConnection()) {
            assertEquals(List.of(2000L), count(c));
          }
        }
        try (Connection c = pool.getConnection()) {
          runtime = runtimeOf(c);
        }
      }
      assertFalse(runtime.isClosed(), "the pool closed its connections; the owner decides");
    }
    assertTrue(runtime.isClosed());
    assertEquals(0, runtime.allocatedBytes());
  }

  @Test
  void driverManagerConnectionsShareARuntimePerSettingsUntilTheLastCloses() throws Exception {
    String url = cluster.url() + "?cache.size=48MiB";
    Connection a = DriverManager.getConnection(url);
    Connection b = DriverManager.getConnection(url);
    CairnRuntime shared = runtimeOf(a);
    assertSame(shared, runtimeOf(b), "same settings, same runtime");
    // connect.timeout is applied by the runtime's connection pool: another value is another
    // runtime, never silently this one.
    Connection other = DriverManager.getConnection(url + "&connect.timeout=3s");
    assertNotSame(shared, runtimeOf(other));
    // timeout and fetch.parallelism apply per connection: they share the runtime.
    Connection perSession = DriverManager.getConnection(url + "&timeout=7s&fetch.parallelism=2");
    assertSame(shared, runtimeOf(perSession));
    assertEquals(7000, perSession.getNetworkTimeout());

    a.close();
    perSession.close();
    assertFalse(shared.isClosed(), "b still uses it");
    assertEquals(List.of(2000L), count(b));
    b.close();
    assertTrue(shared.isClosed(), "freed with its last connection");
    assertEquals(0, shared.allocatedBytes());

    try (Connection again = DriverManager.getConnection(url)) {
      assertNotSame(shared, runtimeOf(again), "a new runtime after the old one was freed");
      assertEquals(List.of(2000L), count(again));
    }
    CairnRuntime otherRuntime = runtimeOf(other);
    other.close();
    assertTrue(otherRuntime.isClosed());
  }

  @Test
  void aCacheDirInUseWithAnotherCacheSizeFailsAtConnect(@TempDir Path cacheDir)
      throws Exception {
    String url = cluster.url() + "?cache.dir=" + cacheDir + "&cache.size=48MiB";
    try (Connection first = DriverManager.getConnection(url)) {
      assertEquals(List.of(2000L), count(first));
      SQLException refused = assertThrows(SQLException.class,
          () -> DriverManager.getConnection(url.replace("48MiB", "64MiB")));
      assertEquals("08001", refused.getSQLState());
      String message = refused.getMessage();
      assertTrue(message.contains("BAD_CONFIG") && message.contains(cacheDir.toString())
          && message.contains("48.0 MiB") && message.contains("64.0 MiB")
          && message.contains("cache.size=" + (48L << 20)), message);
      // An owned runtime shares the directory, and its bound, like a shared one.
      try (CairnDataSource source = new CairnDataSource()) {
        source.setUrl(cluster.url() + "?cache.dir=" + cacheDir);
        source.setCacheSize("64MiB");
        SQLException owned = assertThrows(SQLException.class, source::getConnection);
        assertEquals("08001", owned.getSQLState());
      }
      // Settings that share no resource coexist: same bound, other DuckDB threads.
      try (Connection sameBound = DriverManager.getConnection(url + "&duckdb.threads=1")) {
        assertNotSame(runtimeOf(first), runtimeOf(sameBound));
        assertEquals(List.of(2000L), count(sameBound));
      }
    }
    try (Connection afterClose = DriverManager.getConnection(url.replace("48MiB", "64MiB"))) {
      assertEquals(List.of(2000L), count(afterClose), "the last close frees the directory");
    }
  }

  private static CairnRuntime runtimeOf(Connection c) throws SQLException {
    return c.unwrap(CairnSession.class).runtime();
  }

  private static List<Long> count(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from life")) {
      rs.next();
      return List.of(rs.getLong(1));
    }
  }
}
