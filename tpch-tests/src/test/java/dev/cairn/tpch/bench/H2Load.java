package dev.cairn.tpch.bench;

import dev.cairn.tpchdata.TpchGenerator;
import dev.cairn.tpchdata.TpchTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import java.util.StringJoiner;

/**
 * Fills an H2 database with the generated TPC-H tables: the same CREATE TABLE text (exact
 * types, NOT NULL) and the same generated rows as DuckDB and Cairn get, by batched inserts,
 * then the keys and indexes below.
 */
final class H2Load {
  private static final int ROWS_PER_BATCH = 5_000;
  /**
   * The primary keys and foreign-key indexes TPC-H allows. H2 joins by nested loops over
   * indexes only (no hash join), so without them most joins would scan a table per row.
   */
  private static final List<String> KEYS_AND_INDEXES = List.of(
      "ALTER TABLE nation ADD PRIMARY KEY (n_nationkey)",
      "ALTER TABLE region ADD PRIMARY KEY (r_regionkey)",
      "ALTER TABLE part ADD PRIMARY KEY (p_partkey)",
      "ALTER TABLE supplier ADD PRIMARY KEY (s_suppkey)",
      "ALTER TABLE partsupp ADD PRIMARY KEY (ps_partkey, ps_suppkey)",
      "ALTER TABLE customer ADD PRIMARY KEY (c_custkey)",
      "ALTER TABLE orders ADD PRIMARY KEY (o_orderkey)",
      "ALTER TABLE lineitem ADD PRIMARY KEY (l_orderkey, l_linenumber)",
      "CREATE INDEX n_rk ON nation (n_regionkey)",
      "CREATE INDEX s_nk ON supplier (s_nationkey)",
      "CREATE INDEX ps_sk ON partsupp (ps_suppkey)",
      "CREATE INDEX c_nk ON customer (c_nationkey)",
      "CREATE INDEX o_ck ON orders (o_custkey)",
      "CREATE INDEX l_pk_sk ON lineitem (l_partkey, l_suppkey)",
      "CREATE INDEX l_sk ON lineitem (l_suppkey)");

  private H2Load() {}

  /** Creates and fills the eight tables at {@code scale}; returns the rows inserted. */
  static long load(Connection h2, double scale) throws SQLException {
    long total = 0;
    h2.setAutoCommit(false);
    for (TpchTable table : TpchTable.values()) {
      try (Statement s = h2.createStatement()) {
        s.execute(table.createTableSql());
      }
      StringJoiner marks = new StringJoiner(", ", "(", ")");
      table.columnNames().forEach(c -> marks.add("?"));
      try (PreparedStatement insert = h2.prepareStatement(
          "INSERT INTO " + table.tableName() + " VALUES " + marks)) {
        Iterator<List<Object>> rows = TpchGenerator.rows(table, scale);
        int pending = 0;
        while (rows.hasNext()) {
          List<Object> row = rows.next();
          for (int i = 0; i < row.size(); i++) {
            insert.setObject(i + 1, row.get(i));
          }
          insert.addBatch();
          total++;
          if (++pending == ROWS_PER_BATCH) {
            insert.executeBatch();
            pending = 0;
          }
        }
        insert.executeBatch();
      }
      h2.commit();
    }
    h2.setAutoCommit(true);
    try (Statement s = h2.createStatement()) {
      for (String ddl : KEYS_AND_INDEXES) {
        s.execute(ddl);
      }
      s.execute("ANALYZE");
    }
    return total;
  }
}
