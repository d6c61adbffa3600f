package dev.cairn.calcite;

import java.util.List;
import java.util.Optional;

/**
 * A consistent snapshot of the tables a query may read, which the translator plans against.
 *
 * <p>Every call on one instance must answer from the same snapshot, so that a query sees one
 * version of every table even while writers publish. Names are exact (case-sensitive); the
 * translator does its own case folding. The built-in system schema {@link SystemTables#SCHEMA}
 * ({@code cairn}) is supplied by the translator and need not be listed here; if an
 * implementation lists a schema of that name, the system schema hides it.
 */
public interface CairnCatalog {
  /** Returns the names of the data schemas (publishers) in this snapshot. */
  List<String> schemaNames();

  /**
   * Returns false if {@code schema} is surely not a data schema here; true if it is, or may be
   * (an implementation that reads only the tables a query names need not list every schema to
   * answer).
   */
  default boolean mayHaveSchema(String schema) {
    return schemaNames().contains(schema);
  }

  /**
   * Hints that the query about to be planned names these {@code [schema, table]} tables (some
   * may not exist), so an implementation that reads heads on demand can read them all at once.
   */
  default void prefetch(List<List<String>> names) { }

  /** Returns the names of the tables in {@code schema}, or an empty list if it is unknown. */
  List<String> tableNames(String schema);

  /** Returns the head (newest) version of a table in this snapshot, if there is one. */
  Optional<CatalogTable> table(String schema, String table);

  /**
   * Returns version {@code version} of a table, if it exists. SQL asks for it with the name
   * {@code table$v<version>}, e.g. {@code orders$v3}.
   */
  Optional<CatalogTable> table(String schema, String table, long version);
}
