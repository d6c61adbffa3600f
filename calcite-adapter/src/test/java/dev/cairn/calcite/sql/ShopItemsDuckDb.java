package dev.cairn.calcite.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test a fresh in-memory DuckDB holding {@code shop."items$v2"} with the columns
 * {@link TestCatalogs#shop} gives it and the test class's rows; closed after the test. Register
 * it as an instance {@code @RegisterExtension} field; it is filled before {@code @BeforeEach}.
 */
final class ShopItemsDuckDb implements BeforeEachCallback, AfterEachCallback {
  private final String values;
  private Connection duckdb;

  /** Fills the table with {@code values}, the rows of an INSERT's VALUES clause. */
  ShopItemsDuckDb(String values) {
    this.values = values;
  }

  /** Returns the open connection. */
  Connection connection() {
    return duckdb;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = duckdb.createStatement()) {
      s.execute("CREATE SCHEMA shop");
      s.execute("CREATE TABLE shop.\"items$v2\" (id INTEGER, name VARCHAR, price DOUBLE,"
          + " added TIMESTAMP, active BOOLEAN, value BIGINT)");
      s.execute("INSERT INTO shop.\"items$v2\" VALUES " + values);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (duckdb != null) {
      duckdb.close();
      duckdb = null;
    }
  }
}
