package dev.cairn.calcite.sql;

import dev.cairn.calcite.CatalogTable;
import dev.cairn.calcite.StaticCatalog;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An in-memory DuckDB holding small plain tables ({@code cf.sales}, {@code cf.returns}) and, as
 * views of them, the versioned relations a translation reads ({@code "cf"."sales$v1"}), so one
 * query text can be answered by DuckDB directly and through the translator over the same rows.
 */
final class ConformanceDatabase implements AutoCloseable {
  private static final String[] SETUP = {
    "CREATE SCHEMA cf",
    "CREATE TABLE cf.sales (id INTEGER, category VARCHAR, region VARCHAR, qty INTEGER,"
        + " amount DECIMAL(7,2), price DOUBLE, sold DATE, seen TIMESTAMP, big BIGINT,"
        + " code VARCHAR)",
    "INSERT INTO cf.sales VALUES"
        + " (1, 'books', 'north', 3, 12.50, 4.25, DATE '2024-01-05',"
        + " TIMESTAMP '2024-01-05 10:30:00', 9000000000, 'ab'),"
        + " (2, 'books', 'south', 1, 7.25, 7.25, DATE '2024-01-31',"
        + " TIMESTAMP '2024-01-31 23:59:59', 5, 'ab '),"
        + " (3, 'games', 'north', 5, 99.99, 20.0, DATE '2024-02-29',"
        + " TIMESTAMP '2024-02-29 00:00:00', -3, 'x'),"
        + " (4, 'games', NULL, 2, 0.01, 0.5, DATE '2023-12-31', NULL, NULL, NULL),"
        + " (5, 'toys', 'south', NULL, NULL, NULL, NULL, TIMESTAMP '2024-03-01 12:00:00', 7,"
        + " 'toy'),"
        + " (6, NULL, 'east', 7, 3.33, 1.0 / 3, DATE '2024-06-15',"
        + " TIMESTAMP '2024-06-15 06:00:00', 11, ''),"
        + " (7, 'toys', 'north', 4, 45.00, 11.0, DATE '2024-01-05',"
        + " TIMESTAMP '2024-01-05 01:00:00', 2147483647, 'ab'),"
        + " (8, 'books', 'north', 6, 1.10, 2.2, DATE '2024-02-01',"
        + " TIMESTAMP '2024-02-01 00:00:01', 2147483647, 'zz')",
    "CREATE TABLE cf.returns (id INTEGER, category VARCHAR, qty INTEGER, reason VARCHAR)",
    "INSERT INTO cf.returns VALUES (1, 'books', 3, 'damaged'), (3, 'games', 5, NULL),"
        + " (3, 'games', 5, NULL), (9, NULL, NULL, 'lost'), (2, 'books', 1, 'late'),"
        + " (10, 'toys', 4, 'late')",
    "CREATE VIEW cf.\"sales$v1\" AS SELECT * FROM cf.sales",
    "CREATE VIEW cf.\"returns$v1\" AS SELECT * FROM cf.returns",
  };

  private final Connection duckdb;
  private final StaticCatalog catalog;

  /** Opens an in-memory DuckDB and fills it. */
  ConformanceDatabase() throws SQLException {
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = duckdb.createStatement()) {
      for (String statement : SETUP) {
        s.execute(statement);
      }
    }
    catalog = new StaticCatalog(List.of(
        table("sales", col("id", ColumnType.INTEGER), col("category", ColumnType.VARCHAR),
            col("region", ColumnType.VARCHAR), col("qty", ColumnType.INTEGER),
            col("amount", ColumnType.decimal(7, 2)), col("price", ColumnType.DOUBLE),
            col("sold", ColumnType.DATE), col("seen", ColumnType.TIMESTAMP),
            col("big", ColumnType.BIGINT), col("code", ColumnType.VARCHAR)),
        table("returns", col("id", ColumnType.INTEGER), col("category", ColumnType.VARCHAR),
            col("qty", ColumnType.INTEGER), col("reason", ColumnType.VARCHAR))));
  }

  private static Column col(String name, ColumnType type) {
    return new Column(name, type, true);
  }

  private static CatalogTable table(String name, Column... columns) {
    return new CatalogTable("cf", name, 1, new TableSchema(List.of(columns)), 8);
  }

  /** Returns the catalog describing the versioned relations. */
  StaticCatalog catalog() {
    return catalog;
  }

  /**
   * Runs {@code sql} on DuckDB as it is and returns its answer, with NULLs ordered as Cairn
   * (PostgreSQL) orders them: last ascending, first descending.
   */
  Answer direct(String sql) throws SQLException {
    try (Statement s = duckdb.createStatement()) {
      s.execute("SET default_null_order = 'nulls_last_on_asc_first_on_desc'");
      try {
        return run(sql);
      } finally {
        s.execute("RESET default_null_order");
      }
    }
  }

  /** Translates {@code sql}, runs the translation on DuckDB and returns its answer. */
  Answer translated(String sql) throws SQLException {
    return run(new QueryTranslator().translate(sql, catalog).duckdbSql());
  }

  /** Runs {@code sql} and returns the column labels and rows. */
  Answer run(String sql) throws SQLException {
    try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> labels = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        labels.add(md.getColumnLabel(i));
      }
      List<List<Value>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Value> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.add(Value.of(rs.getObject(i)));
        }
        rows.add(row);
      }
      return new Answer(labels, rows);
    }
  }

  @Override
  public void close() throws SQLException {
    duckdb.close();
  }

  /** A query's column labels and rows. */
  record Answer(List<String> labels, List<List<Value>> rows) {
    /** Returns the rows in a canonical order, for queries whose order is not defined. */
    List<List<Value>> sortedRows() {
      List<List<Value>> sorted = new ArrayList<>(rows);
      sorted.sort((a, b) -> a.toString().compareTo(b.toString()));
      return sorted;
    }
  }

  /**
   * One result value with its kind of number kept: an integer, an exact decimal and a double
   * are different answers even when they print alike ({@code 2} is not {@code 2.5} rounded).
   */
  record Value(String kind, Object value) {
    static Value of(Object v) {
      if (v == null) {
        return new Value("null", null);
      }
      if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long
          || v instanceof java.math.BigInteger) {
        return new Value("integer", new BigDecimal(v.toString()));
      }
      if (v instanceof BigDecimal) {
        return new Value("decimal", ((BigDecimal) v).stripTrailingZeros());
      }
      if (v instanceof Double || v instanceof Float) {
        return new Value("double", ((Number) v).doubleValue());
      }
      return new Value(v.getClass().getSimpleName(), v.toString());
    }

    /** Equal kinds and values; doubles within 1e-12 relative (sums may add in any order). */
    boolean sameAs(Value other) {
      if (!kind.equals(other.kind)) {
        return false;
      }
      if (value instanceof Double && other.value instanceof Double) {
        double x = (Double) value;
        double y = (Double) other.value;
        return x == y || Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));
      }
      return Objects.equals(value, other.value);
    }

    @Override
    public String toString() {
      return kind.equals("null") ? "NULL" : kind + ":" + value;
    }
  }
}
