package dev.cairn.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.cli.demo.TpchDemo;
import dev.cairn.tpchdata.TpchGenerator;
import dev.cairn.tpchdata.TpchQueries;
import dev.cairn.tpchdata.TpchTable;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: every one of the 22 TPC-H queries, as the specification prints them, runs through the
 * jdbc:cairn driver (via a HikariCP pool) on data served by 3 real storage servers, and returns
 * what DuckDB returns on the same generated data. Scale factor 0.01, none skipped, no text
 * edited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TpchCorrectnessTest {
  private static final double SCALE = 0.01;

  private Path dir;
  private LocalCluster cluster;
  private HikariDataSource pool;
  private Connection duckdb;

  @BeforeAll
  void publishAndLoad() throws Exception {
    dir = Files.createTempDirectory("cairn-tpch-test");
    cluster = LocalCluster.start(dir.resolve("cluster"), LocalCluster.Options.of(3));
    Map<TpchTable, Path> csv = TpchDemo.generate(dir.resolve("csv"), SCALE);
    TpchDemo.publish(List.of(cluster.metaAddress()), SigningKey.generate(new SecureRandom()),
        csv, 3);
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    TpchGenerator.loadInto(duckdb, SCALE);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:cairn://" + cluster.metaHostPort() + "/" + TpchDemo.SCHEMA);
    config.setMaximumPoolSize(4);
    pool = new HikariDataSource(config);
  }

  @AfterAll
  void stop() throws Exception {
    if (pool != null) {
      pool.close();
    }
    if (duckdb != null) {
      duckdb.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static IntStream queries() {
    return IntStream.rangeClosed(1, TpchQueries.COUNT);
  }

  @ParameterizedTest(name = "q{0}")
  @MethodSource("queries")
  void matchesDuckDb(int query) throws Exception {
    String sql = TpchQueries.text(query);
    List<List<Object>> expected;
    try (Statement statement = duckdb.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      expected = ResultComparison.rows(result);
    }
    List<List<Object>> actual;
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      actual = ResultComparison.rows(result);
    }
    assertTrue(!expected.isEmpty(), "q" + query + " returns rows on DuckDB at SF " + SCALE);
    assertNull(ResultComparison.difference(expected, actual, TpchQueries.ordered(query)),
        "q" + query + " differs from DuckDB");
    assertEquals(expected.size(), actual.size());
  }
}
