package dev.cairn.tpchdata;

import dev.cairn.wire.Column;
import dev.cairn.wire.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** The SQL text both benchmarks' tables derive from their schema: column names and DDL. */
public final class TableSql {
  private TableSql() {}

  /** Returns the column names in order, e.g. for a CSV header. */
  public static List<String> columnNames(TableSchema schema) {
    List<String> names = new ArrayList<>(schema.size());
    for (Column c : schema.columns()) {
      names.add(c.name());
    }
    return names;
  }

  /** Returns {@code CREATE TABLE name (col TYPE [NOT NULL], ...)} in portable SQL. */
  public static String createTable(String tableName, TableSchema schema) {
    StringJoiner columns = new StringJoiner(", ", "CREATE TABLE " + tableName + " (", ")");
    for (Column c : schema.columns()) {
      columns.add(c.name() + " " + c.type().toSql() + (c.nullable() ? "" : " NOT NULL"));
    }
    return columns.toString();
  }
}
