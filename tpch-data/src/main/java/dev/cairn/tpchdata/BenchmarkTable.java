package dev.cairn.tpchdata;

import dev.cairn.wire.Column;
import dev.cairn.wire.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** A benchmark's table: its name and schema, and the SQL text both benchmarks derive from them. */
public interface BenchmarkTable {
  /** Returns the table's lower-case name, e.g. {@code lineitem}. */
  String tableName();

  /** Returns the columns in the specification's order. */
  TableSchema schema();

  /** Returns the column names in order, e.g. for a CSV header. */
  default List<String> columnNames() {
    List<String> names = new ArrayList<>(schema().size());
    for (Column c : schema().columns()) {
      names.add(c.name());
    }
    return names;
  }

  /** Returns {@code CREATE TABLE name (col TYPE [NOT NULL], ...)} in portable SQL. */
  default String createTableSql() {
    StringJoiner columns = new StringJoiner(", ", "CREATE TABLE " + tableName() + " (", ")");
    for (Column c : schema().columns()) {
      columns.add(c.name() + " " + c.type().toSql() + (c.nullable() ? "" : " NOT NULL"));
    }
    return columns.toString();
  }
}
