package dev.cairn.calcite.sql;

import dev.cairn.calcite.CatalogTable;
import dev.cairn.calcite.StaticCatalog;
import dev.cairn.tpchdata.BenchmarkTable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lets a translation test run both a query's original text and its translation on one
 * in-memory DuckDB: once the loader has filled the plain tables {@code main.<table>}, each gets
 * a view {@code "<schema>"."<table>$v1"}, the versioned relation the translator writes, and the
 * catalog lists them as version 1. Register it as a static {@code @RegisterExtension} field.
 */
final class VersionedViews implements BeforeAllCallback, AfterAllCallback {
  /** Fills the plain tables of a new DuckDB. */
  interface Loader {
    /** Creates and fills the tables in {@code duckdb}'s main schema. */
    void load(Connection duckdb) throws Exception;
  }

  private final String schema;
  private final List<? extends BenchmarkTable> tables;
  private final Loader loader;
  private Connection duckdb;
  private StaticCatalog catalog;

  /** Views of {@code tables} in {@code schema}, over what {@code loader} loads. */
  VersionedViews(String schema, List<? extends BenchmarkTable> tables, Loader loader) {
    this.schema = schema;
    this.tables = tables;
    this.loader = loader;
  }

  /** Returns the DuckDB holding the tables and views. */
  Connection duckdb() {
    return duckdb;
  }

  /** Returns the catalog listing the views as version 1 of each table. */
  StaticCatalog catalog() {
    return catalog;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    loader.load(duckdb);
    List<CatalogTable> listed = new ArrayList<>();
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
        listed.add(new CatalogTable(schema, t.tableName(), 1, t.schema(), rows));
      }
    }
    catalog = new StaticCatalog(listed);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (duckdb != null) {
      duckdb.close();
      duckdb = null;
    }
  }
}
