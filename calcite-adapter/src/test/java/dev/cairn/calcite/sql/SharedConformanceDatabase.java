package dev.cairn.calcite.sql;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class one {@link ConformanceDatabase}, opened before its first test and closed
 * after its last: register it as a static {@code @RegisterExtension} field.
 */
final class SharedConformanceDatabase implements BeforeAllCallback, AfterAllCallback {
  private ConformanceDatabase db;

  /** Returns the open database. */
  ConformanceDatabase get() {
    return db;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    db = new ConformanceDatabase();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (db != null) {
      db.close();
      db = null;
    }
  }
}
