package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.SessionCounters;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.Publisher;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session re-uses the translation and DuckDB statement of a repeated SQL text only while
 * they still mean the same thing: never over another version of a table it names, another
 * default schema's table of the same name, or another version named on purpose; and a
 * re-used DuckDB statement follows its views when they are redefined (a merged table).
 */
class TranslationReuseTest {
  private static final String SUM = "select sum(x), count(*) from same";

  @TempDir
  static Path dir;
  static TestCluster cluster;
  static SigningKey bob = SigningKey.generate(new SecureRandom());

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static String numbers(int from, int rows) {
    StringBuilder csv = new StringBuilder("x\n");
    for (int i = 0; i < rows; i++) {
      csv.append(from + i).append('\n');
    }
    return csv.toString();
  }

  private static void publishAlice(String table, String csv) throws Exception {
    cluster.publish(table, "x BIGINT", csv, PublishRequest.BATCH_TARGET_BYTES_MIN,
        List.of(cluster.meta.address()));
  }

  private static void publishBob(String table, String csv) throws Exception {
    Path file = Files.writeString(dir.resolve("bob-" + table + ".csv"), csv);
    Publisher.publish(PublishRequest.of(List.of(cluster.meta.address()), bob, "bob", table,
        List.of(file)).withSchema("x BIGINT"), ProgressListener.NONE);
  }

  private static List<String> row(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      List<String> out = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        out.add(rs.getString(i));
      }
      return out;
    }
  }

  @Test
  void aRepeatedTextFollowsNewVersionsDefaultSchemasAndNamedVersions() throws Exception {
    publishAlice("same", numbers(1, 3)); // alice.same v1: 1+2+3
    publishBob("same", numbers(100, 2)); // bob.same v1: 100+101
    // heads.max-age=0: every query asks for the heads, so a publish shows at once.
    try (Connection c = DriverManager.getConnection(cluster.url() + "?heads.max-age=0")) {
      SessionCounters n = c.unwrap(CairnSession.class).counters();
      assertEquals(List.of("6", "3"), row(c, SUM));
      assertEquals(List.of("6", "3"), row(c, SUM));
      assertEquals(1, n.translations(), "the repeated text re-used its translation: " + n);
      assertEquals(1, n.duckdbPrepares(), "and its DuckDB statement: " + n);

      c.setSchema("bob");
      assertEquals(List.of("201", "2"), row(c, SUM), "the same text in another default schema");
      c.setSchema("alice");
      assertEquals(List.of("6", "3"), row(c, SUM));

      publishAlice("same", numbers(1, 4)); // alice.same v2: 1+2+3+4
      assertEquals(List.of("10", "4"), row(c, SUM), "the version published in between");
      assertEquals(List.of("6", "3"), row(c, SUM.replace("same", "same$v1")));
      assertEquals(List.of("10", "4"), row(c, SUM.replace("same", "same$v2")));
      assertEquals(List.of("6", "3"), row(c, SUM.replace("same", "same$v1")));
      assertEquals(List.of("10", "4"), row(c, SUM));
      c.setSchema("bob");
      assertEquals(List.of("201", "2"), row(c, SUM));
      assertEquals(List.of("201", "2"), row(c, SUM.replace("same", "same$v1")), "bob's v1");
      c.setSchema("alice");
      assertEquals(List.of("6", "3"), row(c, SUM.replace("same", "same$v1")), "alice's v1");
    }
  }

  @Test
  void aReUsedDuckdbStatementReadsTheMergedTableOnceItIsBuilt() throws Exception {
    publishAlice("merging", numbers(0, 5_000));
    String sql = "select sum(x), count(*), max(x) from merging where x >= 10";
    List<String> expected = List.of("12497455", "4990", "4999");
    // Without the cold overlap, whose statement reads a stream once and is prepared again
    // (ColdOverlapTest): here the cold run's statement is the one re-used.
    try (Connection c = DriverManager.getConnection(cluster.url() + "?cold.overlap=false")) {
      SessionCounters n = c.unwrap(CairnSession.class).counters();
      assertEquals(expected, row(c, sql)); // cold: the union of the loaded batches
      assertEquals(expected, row(c, sql)); // first warm: merges, redefines the view
      assertTrue(n.mergesBuilt() >= 1, "the table has several batches to merge: " + n);
      long reads = n.mergedReads();
      for (int i = 0; i < 3; i++) {
        assertEquals(expected, row(c, sql));
      }
      assertEquals(reads + 3, n.mergedReads(), n.toString());
      assertEquals(1, n.translations(), n.toString());
      // Prepared for the cold run; DuckDB re-plans the same statement over the redefined view.
      assertEquals(1, n.duckdbPrepares(), n.toString());
    }
  }
}
