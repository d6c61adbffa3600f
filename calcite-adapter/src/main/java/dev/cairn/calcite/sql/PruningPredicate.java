package dev.cairn.calcite.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A simple predicate on one column of one table that holds for every row of that table the
 * query needs, so the runtime may skip any batch whose signed {@code ColumnStats} prove that
 * no row of it satisfies the predicate. Rows whose column is NULL never satisfy it.
 *
 * <p>Values use the Java class that {@code dev.cairn.wire.ColumnStats} uses for the column's
 * kind: BIGINT Long, INTEGER, SMALLINT and TINYINT Integer, DOUBLE and REAL Double, DECIMAL
 * BigDecimal (compare with {@code compareTo}: its scale may differ from the column's), DATE
 * Integer epoch days, TIMESTAMP and TIMESTAMPTZ Long epoch microseconds, TIME Long
 * microseconds of the day, VARCHAR String, BOOLEAN Boolean, UUID String (canonical lower-case
 * text, whose order is DuckDB's order of UUIDs); VARBINARY Calcite's ByteString,
 * which no bound compares with (its batches keep none), so only all-NULL batches are skipped.
 *
 * @param column the column's index in the table's schema
 * @param columnName the column's name, for messages and logs
 * @param op the comparison
 * @param values one value for EQ/LT/LE/GT/GE, two (low, high, inclusive) for BETWEEN, one or
 *     more for IN
 */
public record PruningPredicate(int column, String columnName, Op op, List<Object> values) {
  /** The comparison: {@code column OP value(s)}. */
  public enum Op { EQ, LT, LE, GT, GE, BETWEEN, IN }

  public PruningPredicate {
    requireNonNull(columnName, "columnName");
    requireNonNull(op, "op");
    values = List.copyOf(values);
    int expected = op == Op.BETWEEN ? 2 : 1;
    if (op == Op.IN ? values.isEmpty() : values.size() != expected) {
      throw new IllegalArgumentException(op + " with " + values.size() + " values");
    }
  }

  @Override
  public String toString() {
    return columnName + " " + op + " " + values;
  }
}
