package dev.cairn.calcite.sql;

import dev.cairn.calcite.CairnCatalog;
import dev.cairn.calcite.SystemTables;
import dev.cairn.wire.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers the catalog statements people and GUI tools type, {@code SHOW TABLES [FROM|IN s]},
 * {@code SHOW SCHEMAS} and {@code DESCRIBE [s.]t}, by turning each into a query over the
 * snapshot, which is then translated like any other:
 *
 * <ul>
 *   <li>{@code SHOW TABLES}: {@code name} of every table of the default schema (or of
 *       {@code s}); without a default schema, {@code schema, name} of every table;
 *   <li>{@code SHOW SCHEMAS}: {@code name} of every schema;
 *   <li>{@code DESCRIBE t}: DuckDB's columns {@code column_name, column_type, null, key,
 *       default, extra}, one row per column of the version the name reads
 *       ({@code t$v3} too); {@code DESCRIBE SELECT ...} the same for a query's result.
 * </ul>
 */
final class CatalogStatements {
  private static final String LEAD = "\\A(?:\\s|--[^\\n]*(?:\\n|\\z)|/\\*.*?\\*/)*";
  private static final String NAME = "(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)";
  private static final String END = "\\s*;?\\s*\\z";

  private static final Pattern SHOW_TABLES = Pattern.compile(
      LEAD + "show\\s+tables(?:\\s+(?:from|in)\\s+(" + NAME + "))?" + END,
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern SHOW_SCHEMAS = Pattern.compile(
      LEAD + "show\\s+schemas" + END, Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern DESCRIBE = Pattern.compile(
      LEAD + "(?:describe|desc)\\s+(?:table\\s+)?(" + NAME + "(?:\\s*\\.\\s*" + NAME + ")?)"
          + END, Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private static final Pattern DESCRIBE_QUERY = Pattern.compile(
      LEAD + "(?:describe|desc)\\s+(?=(?:select|with|values|from)\\b|\\()",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private CatalogStatements() {}

  /** Returns the query that answers {@code sql}, or null if it is no catalog statement. */
  static String query(String sql, CairnCatalog catalog, String defaultSchema,
      QueryTranslator translator) {
    Matcher m = SHOW_TABLES.matcher(sql);
    if (m.matches()) {
      String schema = m.group(1) == null ? defaultSchema : schema(catalog, m.group(1));
      if (schema == null) {
        return "SELECT table_schema AS \"schema\", table_name AS name"
            + " FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1, 2";
      }
      return "SELECT table_name AS name FROM information_schema.tables"
          + " WHERE table_schema = " + literal(schema) + " ORDER BY 1";
    }
    if (SHOW_SCHEMAS.matcher(sql).matches()) {
      return "SELECT schema_name AS name FROM information_schema.schemata ORDER BY 1";
    }
    m = DESCRIBE_QUERY.matcher(sql);
    if (m.lookingAt()) {
      return describe(translator.translate(sql.substring(m.end()), catalog, defaultSchema));
    }
    m = DESCRIBE.matcher(sql);
    if (m.matches()) {
      return describe(translator.translate("SELECT * FROM " + m.group(1), catalog,
          defaultSchema));
    }
    return null;
  }

  /** Returns the schema {@code name} (folded unless quoted) names, or fails as not found. */
  private static String schema(CairnCatalog catalog, String name) {
    String exact = name.startsWith("\"")
        ? name.substring(1, name.length() - 1).replace("\"\"", "\"")
        : name.toLowerCase(Locale.ROOT);
    List<String> names = new ArrayList<>(catalog.schemaNames());
    names.addAll(SystemTables.BY_SCHEMA.keySet());
    if (names.contains(exact)) {
      return exact;
    }
    String other = CatalogSchema.uniqueIgnoringCase(names, exact);
    if (other == null) {
      throw new SqlTranslationException(ErrorCode.NOT_FOUND,
          SqlTranslationException.UNDEFINED_SCHEMA, "SQL error: schema '" + exact
              + "' not found", null);
    }
    return other;
  }

  /** Returns one row per result column of {@code all}, as DuckDB's DESCRIBE. */
  private static String describe(TranslatedQuery all) {
    StringBuilder rows = new StringBuilder();
    for (SqlColumn c : all.columns()) {
      // VARCHAR, not CHAR literals: a CHAR column of VALUES would be blank-padded
      rows.append(rows.length() == 0 ? "" : ", ").append("(").append(varchar(c.name()))
          .append(", ").append(varchar(c.typeName())).append(", ")
          .append(varchar(c.nullable() ? "YES" : "NO")).append(", ").append(NULL_VARCHAR)
          .append(", ").append(NULL_VARCHAR).append(", ").append(NULL_VARCHAR).append(")");
    }
    return "SELECT * FROM (VALUES " + rows
        + ") AS c(column_name, column_type, \"null\", \"key\", \"default\", extra)";
  }

  private static final String NULL_VARCHAR = "CAST(NULL AS VARCHAR)";

  private static String varchar(String text) {
    return "CAST(" + literal(text) + " AS VARCHAR)";
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
