package dev.cairn.calcite.sql;

import dev.cairn.calcite.CatalogTable;
import dev.cairn.calcite.StaticCatalog;
import dev.cairn.tpchdata.BenchmarkTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets a translation test run both a query's original text and its translation on one DuckDB:
 * each plain table {@code main.<table>} gets a view {@code "<schema>"."<table>$v1"}, the
 * versioned relation the translator writes, and the catalog lists them as version 1.
 */
final class VersionedViews {
  private VersionedViews() {}

  /** Creates the views of {@code tables} in {@code schema}; returns the catalog listing them. */
  static StaticCatalog create(Connection duckdb, String schema,
      List<? extends BenchmarkTable> tables) throws SQLException {
    List<CatalogTable> catalog = new ArrayList<>();
    try (Statement s = duckdb.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
      for (BenchmarkTable t : tables) {
        s.execute("CREATE VIEW \"" + schema + "\".\"" + t.tableName() + "$v1\" AS SELECT *"
            + " FROM main." + t.tableName());
        long rows;
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM main." + t.tableName())) {
          rs.next();
          rows = rs.getLong(1);
        }
        catalog.add(new CatalogTable(schema, t.tableName(), 1, t.schema(), rows));
      }
    }
    return new StaticCatalog(catalog);
  }
}
