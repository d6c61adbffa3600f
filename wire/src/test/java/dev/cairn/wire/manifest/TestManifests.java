package dev.cairn.wire.manifest;

import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.crypto.SigningKey;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Manifests shared by the tests; {@link #golden()} is the one docs/protocol.md prints. */
final class TestManifests {
  private TestManifests() {}

  /** The key of the golden vectors: seed bytes 0x01, 0x02, ..., 0x20. */
  static SigningKey goldenKey() {
    byte[] seed = new byte[SigningKey.SEED_BYTES];
    for (int i = 0; i < seed.length; i++) {
      seed[i] = (byte) (i + 1);
    }
    return SigningKey.fromSeed(seed);
  }

  static ContentId idOf(String text) {
    return ContentId.sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The chunk tree root of the UTF-8 bytes of {@code text}, as if they were the blob. */
  static ContentId rootOf(String text) {
    return ChunkTree.root(text.getBytes(StandardCharsets.UTF_8));
  }

  static TableSchema goldenSchema() {
    return new TableSchema(List.of(
        new Column("o_orderkey", ColumnType.BIGINT, false),
        new Column("o_totalprice", ColumnType.decimal(15, 2), false),
        new Column("o_orderdate", ColumnType.DATE, true),
        new Column("o_comment", ColumnType.VARCHAR, true)));
  }

  /**
   * Version 2 of table "orders": four columns, two batches, every kind of bound presence, and
   * a freshness promise of one hour and each batch's chunk root (format 2).
   */
  static Manifest golden() {
    return withRefreshEvery(goldenWithChunkRoots(), 3_600_000L);
  }

  /**
   * The golden manifest without a freshness promise or chunk roots: what the format-1 vector
   * decodes to.
   */
  static Manifest goldenFormat1() {
    Manifest m = goldenWithChunkRoots();
    List<BatchRef> batches = m.batches().stream()
        .map(b -> new BatchRef(b.id(), b.byteSize(), b.rowCount(), null, b.stats()))
        .toList();
    return new Manifest(m.tableName(), m.writerKey(), m.version(), m.parentId(),
        m.createdAtMillis(), m.schema(), m.redundancy(), batches);
  }

  private static Manifest goldenWithChunkRoots() {
    BatchRef first = new BatchRef(idOf("orders batch 0"), 4096, 100,
        rootOf("orders batch 0"), List.of(
        new ColumnStats(0, 1L, 100L),
        new ColumnStats(0, new BigDecimal("857.71"), new BigDecimal("555285.16")),
        new ColumnStats(2, 8035, 10591),
        new ColumnStats(0, "about the", "zeal")));
    BatchRef second = new BatchRef(idOf("orders batch 1"), 2048, 50,
        rootOf("orders batch 1"), List.of(
        new ColumnStats(0, 101L, 150L),
        new ColumnStats(0, new BigDecimal("-12.50"), new BigDecimal("99999.99")),
        new ColumnStats(50, null, null),
        new ColumnStats(3, "", null)));
    return new Manifest("orders", goldenKey().publicKey(), 2, idOf("orders version 1"),
        1_767_225_600_000L, goldenSchema(), RedundancyPolicy.replicas(3),
        List.of(first, second));
  }

  /**
   * The golden manifest erasure-coded 4 + 2 (format 3): no chunk roots, and shard i of batch b
   * has the content id of the ASCII text {@code orders batch b shard i}.
   */
  static Manifest goldenErasure() {
    Manifest m = golden();
    List<BatchRef> batches = new java.util.ArrayList<>();
    for (int b = 0; b < m.batches().size(); b++) {
      BatchRef batch = m.batches().get(b);
      List<ContentId> shards = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        shards.add(idOf("orders batch " + b + " shard " + i));
      }
      batches.add(new BatchRef(batch.id(), batch.byteSize(), batch.rowCount(), null,
          batch.stats(), shards));
    }
    return new Manifest(m.tableName(), m.writerKey(), m.version(), m.parentId(),
        m.createdAtMillis(), m.refreshEveryMillis(), m.schema(), RedundancyPolicy.erasure(4, 2),
        batches);
  }

  /**
   * Version 3 of "orders" after its table evolved (format 4): o_orderkey widened from INTEGER
   * to BIGINT, o_totalprice from DECIMAL(12,2) to DECIMAL(15,2), and o_clerk VARCHAR added with
   * id 4. Batches 0 and 1 are the golden batches as stored before (INTEGER keys, DECIMAL(12,2),
   * no o_clerk); batch 2 stores the table's columns.
   */
  static Manifest goldenEvolved() {
    TableSchema before = new TableSchema(List.of(
        new Column("o_orderkey", ColumnType.INTEGER, false),
        new Column("o_totalprice", ColumnType.decimal(12, 2), false),
        new Column("o_orderdate", ColumnType.DATE, true),
        new Column("o_comment", ColumnType.VARCHAR, true)));
    List<Column> columns = new java.util.ArrayList<>(goldenSchema().columns());
    columns.add(new Column("o_clerk", ColumnType.VARCHAR, true));
    TableSchema table = new TableSchema(columns, List.of(0, 1, 2, 3, 4));
    Manifest m = golden();
    List<BatchRef> batches = new java.util.ArrayList<>();
    for (BatchRef b : m.batches()) {
      List<ColumnStats> stats = new java.util.ArrayList<>(b.stats());
      ColumnStats key = stats.get(0);
      stats.set(0, new ColumnStats(0, ((Long) key.min()).intValue(),
          ((Long) key.max()).intValue()));
      batches.add(new BatchRef(b.id(), b.byteSize(), b.rowCount(), b.chunkRoot(), stats,
          List.of(), before));
    }
    batches.add(new BatchRef(idOf("orders batch 2"), 1024, 10, rootOf("orders batch 2"),
        List.of(new ColumnStats(0, 151L, 160L),
            new ColumnStats(0, new BigDecimal("1.00"), new BigDecimal("2.00")),
            new ColumnStats(0, 10000, 10009),
            new ColumnStats(0, "a", "b"),
            new ColumnStats(0, "Clerk#1", "Clerk#9"))));
    return new Manifest("orders", goldenKey().publicKey(), 3, idOf("orders version 2"),
        1_767_225_600_000L, 3_600_000L, table, RedundancyPolicy.replicas(3), batches);
  }

  /** Returns {@code m} with another freshness promise. */
  static Manifest withRefreshEvery(Manifest m, long refreshEveryMillis) {
    return new Manifest(m.tableName(), m.writerKey(), m.version(), m.parentId(),
        m.createdAtMillis(), refreshEveryMillis, m.schema(), m.redundancy(), m.batches());
  }

  /** A manifest with one column of every type and bounds at the edges of their ranges. */
  static Manifest everyType(SigningKey key) {
    TableSchema schema = new TableSchema(List.of(
        new Column("b", ColumnType.BIGINT, true),
        new Column("i", ColumnType.INTEGER, true),
        new Column("d", ColumnType.DOUBLE, true),
        new Column("m", ColumnType.decimal(38, 10), true),
        new Column("dt", ColumnType.DATE, true),
        new Column("ts", ColumnType.TIMESTAMP, true),
        new Column("s", ColumnType.VARCHAR, true),
        new Column("flag", ColumnType.BOOLEAN, true),
        new Column("tz", ColumnType.TIMESTAMPTZ, true),
        new Column("sm", ColumnType.SMALLINT, true),
        new Column("ti", ColumnType.TINYINT, true),
        new Column("r", ColumnType.REAL, true),
        new Column("tm", ColumnType.TIME, true),
        new Column("bin", ColumnType.VARBINARY, true)));
    BatchRef edges = new BatchRef(idOf("edges"), Long.MAX_VALUE, Long.MAX_VALUE, null, List.of(
        new ColumnStats(0, Long.MIN_VALUE, Long.MAX_VALUE),
        new ColumnStats(1, Integer.MIN_VALUE, Integer.MAX_VALUE),
        new ColumnStats(2, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
        new ColumnStats(3, new BigDecimal("-9999999999999999999999999999.9999999999"),
            new BigDecimal("9999999999999999999999999999.9999999999")),
        new ColumnStats(4, -719_162, 2_932_896),
        new ColumnStats(5, Long.MIN_VALUE, 0L),
        new ColumnStats(6, "", "\uD83D\uDE00 caf\u00e9 " + "z".repeat(50)),
        new ColumnStats(Long.MAX_VALUE, false, true),
        new ColumnStats(0, Long.MIN_VALUE, Long.MAX_VALUE),
        new ColumnStats(1, (int) Short.MIN_VALUE, (int) Short.MAX_VALUE),
        new ColumnStats(2, (int) Byte.MIN_VALUE, (int) Byte.MAX_VALUE),
        new ColumnStats(3, (double) -Float.MAX_VALUE, (double) Float.MAX_VALUE),
        new ColumnStats(4, 0L, 86_400_000_000L),
        new ColumnStats(5, null, null)));
    BatchRef small = new BatchRef(idOf("small"), 1, 1, rootOf("s"), List.of(
        new ColumnStats(0, 7L, 7L),
        new ColumnStats(0, -1, -1),
        new ColumnStats(0, -0.0d, Double.MIN_VALUE),
        new ColumnStats(0, new BigDecimal("0E-10"), new BigDecimal("1.2800000000")),
        new ColumnStats(1, null, null),
        new ColumnStats(0, null, 5L),
        new ColumnStats(0, "x", null),
        new ColumnStats(0, true, true),
        new ColumnStats(0, 1_709_280_930_000_001L, 1_709_280_930_000_001L),
        new ColumnStats(0, 1, 1),
        new ColumnStats(1, null, null),
        new ColumnStats(0, 0.0d, (double) Float.MIN_VALUE),
        new ColumnStats(0, null, 5L),
        new ColumnStats(1, null, null)));
    return new Manifest("Every_Type_2", key.publicKey(), 1, null, -1L, schema,
        RedundancyPolicy.replicas(16), List.of(edges, small));
  }

  /** The smallest manifest: one column, no batches (an empty table). */
  static Manifest empty(SigningKey key) {
    TableSchema schema = new TableSchema(List.of(new Column("x", ColumnType.INTEGER, false)));
    return new Manifest("_", key.publicKey(), Long.MAX_VALUE, idOf("previous"), 0L, schema,
        RedundancyPolicy.replicas(1), List.of());
  }
}
