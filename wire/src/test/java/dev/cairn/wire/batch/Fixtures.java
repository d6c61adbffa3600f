package dev.cairn.wire.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Shared schemas and rows for the batch tests. */
final class Fixtures {
  static final TableSchema ALL_TYPES = new TableSchema(List.of(
      new Column("id", ColumnType.BIGINT, false),
      new Column("qty", ColumnType.INTEGER, true),
      new Column("ratio", ColumnType.DOUBLE, true),
      new Column("price", ColumnType.decimal(38, 4), true),
      new Column("day", ColumnType.DATE, true),
      new Column("at", ColumnType.TIMESTAMP, true),
      new Column("name", ColumnType.VARCHAR, true),
      new Column("flag", ColumnType.BOOLEAN, true)));

  private Fixtures() {
  }

  /** Rows with nulls, empty strings and the extreme values of each type. */
  static List<List<Object>> extremeRows() {
    BigDecimal big = new BigDecimal("9999999999999999999999999999999999.9999");
    List<List<Object>> rows = new ArrayList<>();
    rows.add(row(Long.MIN_VALUE, Integer.MIN_VALUE, Double.NaN, big.negate(),
        LocalDate.of(1, 1, 1), LocalDateTime.of(1, 1, 1, 0, 0), "", false));
    rows.add(row(Long.MAX_VALUE, Integer.MAX_VALUE, -0.0, big,
        LocalDate.of(9999, 12, 31), LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
        "z\u00e9\u4e2d\uD83D\uDE00", true));
    rows.add(row(0L, null, null, null, null, null, null, null));
    rows.add(row(-1L, 0, 0.0, new BigDecimal("-0.0001"), LocalDate.of(1969, 12, 31),
        LocalDateTime.of(1969, 12, 31, 23, 59, 59, 1_000), "a", null));
    rows.add(row(42L, -7, Double.NEGATIVE_INFINITY, BigDecimal.ZERO.setScale(4),
        LocalDate.of(1970, 1, 1), LocalDateTime.of(1970, 1, 1, 0, 0), "x".repeat(100), true));
    return rows;
  }

  static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  static VectorSchemaRoot build(TableSchema schema, List<List<Object>> rows,
      BufferAllocator allocator) {
    try (BatchBuilder builder = new BatchBuilder(schema, allocator)) {
      for (List<Object> row : rows) {
        builder.addRow(row);
      }
      return builder.build();
    }
  }

  /** Asserts equal rows, comparing doubles by bits (so NaN equals NaN, -0.0 differs from 0.0). */
  static void assertRowsEqual(List<List<Object>> expected, List<List<Object>> actual) {
    assertEquals(expected.size(), actual.size(), "row count");
    for (int row = 0; row < expected.size(); row++) {
      assertEquals(normalise(expected.get(row)), normalise(actual.get(row)), "row " + row);
    }
  }

  private static List<Object> normalise(List<Object> row) {
    List<Object> out = new ArrayList<>();
    for (Object value : row) {
      out.add(value instanceof Double
          ? "double:" + Long.toHexString(Double.doubleToRawLongBits((Double) value))
          : value instanceof byte[] ? "bytes:" + java.util.HexFormat.of().formatHex((byte[]) value)
          : value);
    }
    return out;
  }
}
