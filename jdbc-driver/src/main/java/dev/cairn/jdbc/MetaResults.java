package dev.cairn.jdbc;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Builds the small result sets of {@link CairnDatabaseMetaData} as DuckDB queries over typed
 * literals ({@code SELECT * FROM (VALUES (CAST(.. AS ..), ..), ..) t(cols)}), so tools get real,
 * fully featured result sets with the column names and types JDBC prescribes.
 */
final class MetaResults {
  private MetaResults() {}

  /** A column: name and DuckDB type (VARCHAR, INTEGER, SMALLINT, BIGINT, BOOLEAN). */
  record Col(String name, String type) { }

  static Col varchar(String name) {
    return new Col(name, "VARCHAR");
  }

  static Col integer(String name) {
    return new Col(name, "INTEGER");
  }

  static Col smallint(String name) {
    return new Col(name, "SMALLINT");
  }

  static Col bool(String name) {
    return new Col(name, "BOOLEAN");
  }

  static ResultSet query(Connection duckdb, List<Col> columns, List<Object[]> rows)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT ");
    if (rows.isEmpty()) {
      for (int i = 0; i < columns.size(); i++) {
        Col c = columns.get(i);
        sql.append(i == 0 ? "" : ", ").append("CAST(NULL AS ").append(c.type()).append(") AS ")
            .append(quote(c.name()));
      }
      sql.append(" WHERE false");
    } else {
      sql.append("* FROM (VALUES ");
      for (int r = 0; r < rows.size(); r++) {
        Object[] row = rows.get(r);
        sql.append(r == 0 ? "(" : ", (");
        for (int i = 0; i < columns.size(); i++) {
          sql.append(i == 0 ? "" : ", ").append("CAST(").append(literal(row[i])).append(" AS ")
              .append(columns.get(i).type()).append(')');
        }
        sql.append(')');
      }
      sql.append(") AS t(");
      for (int i = 0; i < columns.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(quote(columns.get(i).name()));
      }
      sql.append(')');
    }
    Statement statement = duckdb.createStatement();
    ResultSet rs = statement.executeQuery(sql.toString());
    try {
      statement.closeOnCompletion();
    } catch (SQLException e) {
      // The statement is then freed with the connection.
    }
    return rs;
  }

  private static String literal(Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof Boolean || value instanceof Integer || value instanceof Long
        || value instanceof Short || value instanceof BigDecimal) {
      return value.toString();
    }
    return "'" + value.toString().replace("'", "''") + "'";
  }

  private static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** Returns true if {@code name} matches a JDBC LIKE pattern (null matches everything). */
  static boolean matches(String pattern, String name) {
    if (pattern == null) {
      return true;
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        regex.append(java.util.regex.Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
      }
    }
    return name != null && name.matches(regex.toString());
  }
}
