package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.SessionCounters;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.client.publish.Publisher;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table that grows over three versions through {@code Publisher.append}: version 2 adds a
 * column and widens a DECIMAL's precision, version 3 (read without an explicit schema) widens
 * INTEGER to BIGINT and adds another column. Every version, read through jdbc:cairn as the head
 * or by time travel ({@code t$v1}), answers as DuckDB does over the same CSV files loaded with
 * that version's schema; old batches are kept (same ids, nothing re-uploaded), read as NULL in
 * columns added after them and pruned exactly on them. Refused changes publish nothing.
 */
class EvolvingTableTest {
  private static final String V1_SCHEMA = "id INTEGER NOT NULL, amount DECIMAL(9,2)";
  private static final String V2_SCHEMA = "id INTEGER NOT NULL, amount DECIMAL(12,2), note VARCHAR";
  /** Big enough that the third file's ids need BIGINT. */
  private static final long BIG = 3_000_000_000L;

  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Path[] files = new Path[3];
  static PublishResult[] results = new PublishResult[3];
  static Manifest[] manifests = new Manifest[3];
  /** The format byte of each version's manifest as the metadata service serves it. */
  static int[] formats = new int[3];
  static Connection duckdb;

  @BeforeAll
  static void publishThreeVersions() throws Exception {
    cluster = TestCluster.start(dir, 3);
    files[0] = write("v1.csv", "id,amount\n", 0, 100, i -> i + "," + i + ".25");
    files[1] = write("v2.csv", "id,amount,note\n", 100, 150,
        i -> i + "," + (i * 1000) + ".50," + (i % 3 == 0 ? "" : "n-" + i));
    files[2] = write("v3.csv", "id,amount,note,qty\n", 0, 40,
        i -> (BIG + i) + ",7.75,third-" + i + "," + (i % 5));
    results[0] = Publisher.publish(request(files[0]).withSchema(V1_SCHEMA),
        ProgressListener.NONE);
    results[1] = Publisher.append(request(files[1]).withSchema(V2_SCHEMA),
        ProgressListener.NONE);
    results[2] = Publisher.append(request(files[2]), ProgressListener.NONE);
    for (int v = 0; v < 3; v++) {
      int version = v + 1;
      var signed = cluster.metaClient().versions("alice", "grow").stream()
          .filter(h -> h.version() == version).findFirst().orElseThrow().signed();
      manifests[v] = signed.manifest();
      formats[v] = signed.encoded()[7];
    }
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    loadReference();
  }

  @AfterAll
  static void stop() throws SQLException {
    duckdb.close();
    cluster.close();
  }

  private static PublishRequest request(Path file) {
    return PublishRequest.of(List.of(cluster.meta.address(), cluster.spare.address()),
        cluster.writer, "alice", "grow", List.of(file))
        .withBatchTargetBytes(PublishRequest.BATCH_TARGET_BYTES_MIN);
  }

  private static Path write(String name, String header, long from, long to,
      java.util.function.LongFunction<String> row) throws IOException {
    StringBuilder text = new StringBuilder(header);
    for (long i = from; i < to; i++) {
      text.append(row.apply(i)).append('\n');
    }
    return Files.writeString(dir.resolve(name), text);
  }

  /** Loads each version into DuckDB with that version's own schema: r1, r2, r3. */
  private static void loadReference() throws SQLException {
    String f1 = csv(files[0], "{'id': 'INTEGER', 'amount': 'DECIMAL(9,2)'}");
    String f2 = csv(files[1], "{'id': 'INTEGER', 'amount': 'DECIMAL(12,2)', 'note': 'VARCHAR'}");
    String f3 = csv(files[2], "{'id': 'BIGINT', 'amount': 'DECIMAL(12,2)', 'note': 'VARCHAR',"
        + " 'qty': 'BIGINT'}");
    try (Statement s = duckdb.createStatement()) {
      s.execute("CREATE TABLE r1 AS SELECT * FROM " + f1);
      s.execute("CREATE TABLE r2 AS SELECT id, CAST(amount AS DECIMAL(12,2)) AS amount,"
          + " CAST(NULL AS VARCHAR) AS note FROM r1 UNION ALL SELECT * FROM " + f2);
      s.execute("CREATE TABLE r3 AS SELECT CAST(id AS BIGINT) AS id, amount, note,"
          + " CAST(NULL AS BIGINT) AS qty FROM r2 UNION ALL SELECT * FROM " + f3);
    }
  }

  private static String csv(Path file, String columns) {
    return "read_csv('" + file + "', header = true, columns = " + columns + ")";
  }

  private static Connection connect(String runtime) throws SQLException {
    return DriverManager.getConnection(cluster.url() + "?cache.dir=" + dir.resolve(runtime));
  }

  private static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          Object v = rs.getObject(i);
          row.append(i > 1 ? "|" : "").append(v instanceof BigDecimal d
              ? d.stripTrailingZeros().toPlainString() : String.valueOf(v));
        }
        out.add(row.toString());
      }
    }
    return out;
  }

  /** Queries over the columns of version {@code v}; {@code t} names the relation. */
  private static List<String> queries(int v, String t) {
    List<String> q = new ArrayList<>(List.of(
        "select count(*), sum(id), sum(amount), min(amount), max(amount) from " + t,
        "select id, amount from " + t + " where id between 95 and 104 order by id",
        "select count(*) from " + t + " where id >= 100",
        "select count(*) from " + t + " where amount > 1000"));
    if (v >= 2) {
      q.addAll(List.of(
          "select count(*), count(note), min(note), max(note) from " + t,
          "select count(*) from " + t + " where note is null",
          "select count(*) from " + t + " where note is not null",
          "select id, note from " + t + " where note = 'n-121' or note = 'third-3' order by id",
          "select id, amount, note from " + t + " where id between 98 and 102 order by id"));
    }
    if (v >= 3) {
      q.addAll(List.of(
          "select count(*), sum(qty), count(qty) from " + t,
          "select count(*), sum(id) from " + t + " where id > " + (BIG + 30),
          "select count(*) from " + t + " where qty is null",
          "select qty, count(*) from " + t + " group by qty order by qty nulls first"));
    }
    return q;
  }

  @Test
  void everyVersionReadsWithItsOwnSchemaAsDuckDbReadsTheSameFiles() throws Exception {
    try (Connection c = connect("versions")) {
      for (int v = 1; v <= 3; v++) {
        for (String relation : List.of("grow$v" + v, "alice.\"grow$v" + v + "\"")) {
          for (String sql : queries(v, relation)) {
            assertEquals(rows(duckdb, sql.replace(relation, "r" + v)), rows(c, sql),
                relation + ": " + sql);
          }
        }
      }
      for (String sql : queries(3, "grow")) {
        assertEquals(rows(duckdb, sql.replace("grow", "r3")), rows(c, sql), sql);
      }
      // Warm now: the same answers through merged tables.
      for (String sql : queries(3, "grow")) {
        assertEquals(rows(duckdb, sql.replace("grow", "r3")), rows(c, sql), "warm: " + sql);
      }
    }
  }

  @Test
  void eachVersionReportsItsOwnColumnsAndTypes() throws Exception {
    try (Connection c = connect("types"); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("select * from grow$v1")) {
        assertEquals(2, rs.getMetaData().getColumnCount());
        assertEquals(Types.INTEGER, rs.getMetaData().getColumnType(1));
        assertEquals(9, rs.getMetaData().getPrecision(2));
      }
      try (ResultSet rs = s.executeQuery("select * from grow$v2")) {
        assertEquals(3, rs.getMetaData().getColumnCount());
        assertEquals(Types.INTEGER, rs.getMetaData().getColumnType(1));
        assertEquals(12, rs.getMetaData().getPrecision(2));
      }
      try (ResultSet rs = s.executeQuery("select * from grow")) {
        assertEquals(4, rs.getMetaData().getColumnCount());
        assertEquals(Types.BIGINT, rs.getMetaData().getColumnType(1));
        assertEquals("qty", rs.getMetaData().getColumnName(4));
      }
    }
  }

  @Test
  void appendKeepsTheOldBatchesAsTheyAreAndUploadsOnlyTheNewOnes() {
    assertEquals(List.of(0, 1, 2, 3), manifests[2].schema().columnIds());
    for (int v = 1; v < 3; v++) {
      List<BatchRef> before = manifests[v - 1].batches();
      List<BatchRef> after = manifests[v].batches();
      assertTrue(after.size() > before.size(), "version " + (v + 1) + " adds batches");
      for (int b = 0; b < before.size(); b++) {
        assertEquals(before.get(b).id(), after.get(b).id(), "kept batch " + b);
        assertEquals(manifests[v - 1].storedSchema(before.get(b)),
            manifests[v].storedSchema(after.get(b)), "stored as it was");
      }
      long newBytes = after.subList(before.size(), after.size()).stream()
          .mapToLong(BatchRef::byteSize).sum();
      assertEquals(3 * newBytes, results[v].uploadedBytes(), "three copies of the new ones");
    }
    assertEquals(4, formats[2], "an evolved table needs format 4");
    assertEquals(4, formats[1]);
    assertEquals(2, formats[0], "version 1 is format 2, readable by older readers, and reads"
        + " here beside the format 4 versions (everyVersionReadsWithItsOwnSchema...)");
  }

  @Test
  void oldBatchesArePrunedExactlyOnColumnsAddedAfterThem() throws Exception {
    try (Connection c = connect("pruning")) {
      SessionCounters counters = c.unwrap(CairnSession.class).counters();
      int oldBatches = manifests[0].batches().size();
      assertEquals(rows(duckdb, "select count(*) from r2 where note = 'n-121'"),
          rows(c, "select count(*) from grow$v2 where note = 'n-121'"));
      assertTrue(counters.prunedBatches() >= oldBatches, "batches without note are skipped: "
          + counters);
      long pruned = counters.prunedBatches();
      assertEquals(rows(duckdb, "select count(*) from r2 where note is null"),
          rows(c, "select count(*) from grow$v2 where note is null"));
      assertEquals(pruned, counters.prunedBatches(), "IS NULL prunes nothing");
    }
  }

  @Test
  void refusedChangesNameTheColumnAndPublishNothing() throws Exception {
    Path renamed = write("renamed.csv", "id,total,note,qty\n", 0, 3, i -> i + ",1.00,x,1");
    Path narrowed = write("varchar.csv", "id,amount,note,qty\n", 0, 3, i -> i + ",1.00,x,1");
    Path dropped = write("dropped.csv", "id,amount\n", 0, 3, i -> i + ",1.00");
    long before = cluster.metaClient().head("alice", "grow").orElseThrow().version();
    long received = receivedBytes();
    assertRefused(request(renamed), "column amount (DECIMAL(12,2)) of alice.grow version 3 is"
        + " not in the input, which has total ", true);
    assertRefused(request(narrowed).withSchema("id BIGINT NOT NULL, amount VARCHAR, note VARCHAR,"
        + " qty BIGINT"), "column amount is DECIMAL(12,2) in alice.grow version 3 but VARCHAR in"
        + " the input", false);
    assertRefused(request(dropped).withSchema("id BIGINT NOT NULL, amount DECIMAL(12,2)"),
        "column note (VARCHAR) of alice.grow version 3 is not in the input; columns cannot be"
        + " dropped", true);
    assertEquals(before, cluster.metaClient().head("alice", "grow").orElseThrow().version());
    assertEquals(received, receivedBytes(), "nothing was uploaded");
  }

  private static long receivedBytes() {
    return cluster.servers.stream().mapToLong(server -> server.store().usedBytes()).sum();
  }

  private static void assertRefused(PublishRequest request, String message, boolean append) {
    CairnException e = org.junit.jupiter.api.Assertions.assertThrows(CairnException.class,
        () -> {
          if (append) {
            Publisher.append(request, ProgressListener.NONE);
          } else {
            Publisher.publish(request, ProgressListener.NONE);
          }
        });
    assertEquals(ErrorCode.SCHEMA_CHANGE, e.code(), e.getMessage());
    assertTrue(e.getMessage().startsWith("SCHEMA_CHANGE: " + message), e.getMessage());
    assertEquals("42804", Errors.sqlState(e));
  }
}
