package dev.cairn.calcite;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One version of one table, named as SQL names it: {@code <table>$v<version>}, e.g.
 * {@code orders$v3}. Users write that name to read an old version on purpose, and the DuckDB
 * relation of every table version a query reads carries it; this record is the one place that
 * spells and reads the suffix.
 *
 * @param schema the schema (publisher) name, exact
 * @param table the table name, exact and without the suffix
 * @param version the manifest version, at least 0
 */
public record VersionedName(String schema, String table, long version) {
  /** What separates the table name from the version number. */
  public static final String SEPARATOR = "$v";

  /** A version number has at most 18 digits, so it always fits a long. */
  private static final Pattern SUFFIXED = Pattern.compile("(.+)" + Pattern.quote(SEPARATOR)
      + "([0-9]{1,18})");

  public VersionedName {
    requireNonNull(schema, "schema");
    requireNonNull(table, "table");
    if (version < 0) {
      throw new IllegalArgumentException("version < 0: " + version);
    }
  }

  /** Returns the name of {@code table}'s version. */
  public static VersionedName of(CatalogTable table) {
    return new VersionedName(table.schema(), table.table(), table.version());
  }

  /**
   * Reads {@code name} (a table name as written in SQL, e.g. {@code orders$v3}) of
   * {@code schema} as a version, or returns empty if it has no version suffix.
   */
  public static Optional<VersionedName> parse(String schema, String name) {
    Matcher m = SUFFIXED.matcher(name);
    return m.matches()
        ? Optional.of(new VersionedName(schema, m.group(1), Long.parseLong(m.group(2))))
        : Optional.empty();
  }

  /** Returns the table name with its version suffix, e.g. {@code orders$v3}. */
  public String versionedTable() {
    return table + SEPARATOR + version;
  }

  /** Returns {@code schema.table$v<version>}, as messages show it. */
  @Override
  public String toString() {
    return schema + "." + versionedTable();
  }
}
