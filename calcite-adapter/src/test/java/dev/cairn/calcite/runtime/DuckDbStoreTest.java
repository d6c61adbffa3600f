package dev.cairn.calcite.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** Loading decoded batches into DuckDB through the C stream interface, and views over them. */
class DuckDbStoreTest {
  private static final TableSchema ONE = new TableSchema(List.of(
      new Column("x", ColumnType.INTEGER, true)));
  private static final TableSchema TWO = new TableSchema(List.of(
      new Column("b", ColumnType.BIGINT, true), new Column("m", ColumnType.decimal(15, 2), true),
      new Column("dt", ColumnType.DATE, true)));

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
        load(c, allocator, first, ONE);
        load(c, allocator, second, TWO);
        store.ensureView("s", "\"s\".\"t$v1\"", TWO, List.of(second.id()), Set.of(0));
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("select * from \"s\".\"t$v1\"")) {
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

  private static void load(DuckDBConnection c, RootAllocator allocator, EncodedBatch batch,
      TableSchema schema) throws Exception {
    ContentId id = batch.id();
    try (DecodedBatch decoded = BatchDecoder.decodeVerified(id, batch.bytes(), schema,
        allocator)) {
      DuckDbStore.load(c, allocator, id, schema, decoded);
    }
  }
}
