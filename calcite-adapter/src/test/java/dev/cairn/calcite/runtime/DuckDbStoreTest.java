package dev.cairn.calcite.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.BatchBuilder;
import dev.cairn.wire.batch.BatchDecoder;
import dev.cairn.wire.batch.BatchEncoder;
import dev.cairn.wire.batch.DecodedBatch;
import dev.cairn.wire.batch.EncodedBatch;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

/**
 * Loading decoded batches (all or some columns, columns added later) into DuckDB through the C
 * stream interface, and the per-query relations over them.
 */
class DuckDbStoreTest {
  private static final TableSchema ONE = new TableSchema(List.of(
      new Column("x", ColumnType.INTEGER, true)));
  private static final TableSchema TWO = new TableSchema(List.of(
      new Column("b", ColumnType.BIGINT, true), new Column("m", ColumnType.decimal(15, 2), true),
      new Column("dt", ColumnType.DATE, true)));
  /** Batches that all store exactly the columns of {@link #TWO}. */
  private static final BatchColumns TWO_LAYOUT = BatchColumns.uniform(TWO);

  private static EncodedBatch encode(RootAllocator allocator, TableSchema schema,
      List<List<Object>> rows) {
    try (BatchBuilder builder = new BatchBuilder(schema, allocator)) {
      rows.forEach(builder::addRow);
      try (VectorSchemaRoot root = builder.build()) {
        return new BatchEncoder(allocator).encode(schema, root);
      }
    }
  }

  @Test
  void batchesOfDifferentSchemasKeepTheirNamesTypesAndRows() throws Exception {
    try (RootAllocator allocator = new RootAllocator();
        DuckDbStore store = new DuckDbStore(1, "256MiB")) {
      EncodedBatch first = encode(allocator, ONE, List.of(List.of(5)));
      EncodedBatch second = encode(allocator, TWO, List.of(
          java.util.Arrays.asList(7L, new BigDecimal("1.25"), LocalDate.of(2024, 2, 29))));
      try (DuckDBConnection c = store.newConnection()) {
        load(c, allocator, first, ONE, new int[] {0}, false);
        load(c, allocator, second, TWO, new int[] {0, 1, 2}, false);
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("select * from (" + DuckDbStore.select(TWO_LAYOUT,
                List.of(second.id()), Set.of(0, 1, 2)) + ")")) {
          List<String> names = new ArrayList<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            names.add(rs.getMetaData().getColumnName(i) + " "
                + rs.getMetaData().getColumnTypeName(i));
          }
          assertEquals(List.of("b BIGINT", "m DECIMAL(15,2)", "dt DATE"), names);
          rs.next();
          assertEquals(7L, rs.getLong("b"));
          assertEquals(new BigDecimal("1.25"), rs.getBigDecimal("m"));
          assertEquals(LocalDate.of(2024, 2, 29), rs.getObject("dt", LocalDate.class));
        }
      }
    }
  }

  @Test
  void columnsAddedLaterLineUpWithTheResidentOnesRowByRow() throws Exception {
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      rows.add(java.util.Arrays.asList((long) i, i % 7 == 0 ? null
          : BigDecimal.valueOf(i, 2), LocalDate.ofEpochDay(i)));
    }
    try (RootAllocator allocator = new RootAllocator();
        DuckDbStore store = new DuckDbStore(2, "256MiB")) {
      EncodedBatch batch = encode(allocator, TWO, rows);
      try (DuckDBConnection c = store.newConnection()) {
        load(c, allocator, batch, TWO, new int[] {1}, false);
        String onlyM = "(" + DuckDbStore.select(TWO_LAYOUT, List.of(batch.id(), batch.id()),
            Set.of(1)) + ")";
        assertEquals(List.of(10_000L, 2 * (5_000L - 715)),
            row(c, "select count(*), count(m) from " + onlyM));
        try (Statement s = c.createStatement()) {
          assertThrows(java.sql.SQLException.class,
              () -> s.executeQuery("select sum(b) from " + onlyM).close(),
              "a column the query was not said to read is not there at all");
        }
        load(c, allocator, batch, TWO, new int[] {0, 2}, true);
        String all = "select count(*), sum(b), count(*) filter (where cast(m * 100 as bigint)"
            + " = b), count(*) filter (where dt = DATE '1970-01-01' + cast(b as integer)) from "
            + "(" + DuckDbStore.select(TWO_LAYOUT, List.of(batch.id()), Set.of(0, 1, 2)) + ")";
        assertEquals(List.of(5_000L, 5_000L * 4_999 / 2, 5_000L - 715, 5_000L), row(c, all));
        store.evict(batch.id());
        try (Statement s = c.createStatement()) {
          assertThrows(java.sql.SQLException.class, () -> s.executeQuery(all));
        }
      }
    }
  }

  @Test
  void aMergedTableReadsAsTheUnionOfItsBatchesWholeOrByRunsOfPositions() throws Exception {
    try (RootAllocator allocator = new RootAllocator();
        DuckDbStore store = new DuckDbStore(2, "256MiB")) {
      List<EncodedBatch> batches = new ArrayList<>();
      for (int b = 0; b < 3; b++) {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
          long key = b * 1_000L + i;
          rows.add(java.util.Arrays.asList(key, BigDecimal.valueOf(key, 2),
              LocalDate.ofEpochDay(key)));
        }
        batches.add(encode(allocator, TWO, rows));
      }
      try (DuckDBConnection c = store.newConnection()) {
        for (EncodedBatch batch : batches) {
          load(c, allocator, batch, TWO, new int[] {0, 1, 2}, false);
        }
        // The same batch twice in one version, as a manifest may list it.
        List<ContentId> ids = List.of(batches.get(0).id(), batches.get(1).id(),
            batches.get(2).id(), batches.get(1).id());
        java.util.BitSet columns = new java.util.BitSet();
        columns.set(0, 2);
        MergedTables.Merged merged = DuckDbStore.merge(c, TWO_LAYOUT, ids, columns);
        String sums = "select count(*), sum(b), sum(cast(m * 100 as bigint)) from ";
        assertEquals(row(c, sums + "(" + DuckDbStore.select(TWO_LAYOUT, ids, Set.of(0, 1)) + ")"),
            row(c, sums + "(" + DuckDbStore.selectMerged(TWO, merged, 0, 3, Set.of(0, 1))
                + ")"));
        assertEquals(List.of(4_000L, 4_498_500L + 1_499_500L, 4_498_500L + 1_499_500L),
            row(c, sums + "(" + DuckDbStore.selectMerged(TWO, merged, 0, 3, Set.of(0, 1))
                + ")"));
        assertEquals(row(c, sums + "(" + DuckDbStore.select(TWO_LAYOUT, ids.subList(1, 3),
                Set.of(0, 1)) + ")"),
            row(c, sums + "(" + DuckDbStore.selectMerged(TWO, merged, 1, 2, Set.of(0, 1))
                + ")"), "a run of positions reads exactly those batches");
        try (Statement s = c.createStatement()) {
          assertThrows(java.sql.SQLException.class, () -> s.executeQuery("select sum(dt) from ("
              + DuckDbStore.selectMerged(TWO, merged, 0, 3, Set.of(2)) + ")").close(),
              "a column not merged is not there");
        }
      }
    }
  }

  private static List<Object> row(DuckDBConnection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      List<Object> out = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        Object v = rs.getObject(i);
        out.add(v instanceof Number && !(v instanceof Long) ? ((Number) v).longValue() : v);
      }
      return out;
    }
  }

  private static void load(DuckDBConnection c, RootAllocator allocator, EncodedBatch batch,
      TableSchema schema, int[] columns, boolean add) throws Exception {
    ContentId id = batch.id();
    try (DecodedBatch decoded = BatchDecoder.decode(batch.bytes(), schema, columns,
        allocator)) {
      DuckDbStore.load(c, allocator, id, decoded, add);
    }
  }
}
