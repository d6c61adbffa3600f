package dev.cairn.jdbc;

import static dev.cairn.jdbc.MetaResults.bool;
import static dev.cairn.jdbc.MetaResults.integer;
import static dev.cairn.jdbc.MetaResults.matches;
import static dev.cairn.jdbc.MetaResults.smallint;
import static dev.cairn.jdbc.MetaResults.varchar;

import dev.cairn.calcite.CatalogTable;
import dev.cairn.calcite.SystemTables;
import dev.cairn.calcite.runtime.CatalogSnapshot;
import dev.cairn.jdbc.MetaResults.Col;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The result sets of {@link CairnDatabaseMetaData}, built from a fresh catalog snapshot. */
final class MetaTables {
  private static final String TABLE = "TABLE";
  private static final String SYSTEM_TABLE = "SYSTEM TABLE";

  private final CairnConnection connection;

  MetaTables(CairnConnection connection) {
    this.connection = connection;
  }

  private ResultSet query(List<Col> columns, List<Object[]> rows) throws SQLException {
    connection.checkOpen();
    return MetaResults.query(connection.session().duckdb(), columns, rows);
  }

  /** schema -> table -> (type, columns), data tables and system tables, sorted. */
  private Map<String, Map<String, Object[]>> tables() throws SQLException {
    CatalogSnapshot snapshot;
    try {
      snapshot = connection.session().snapshot();
    } catch (CairnException e) {
      throw Errors.of(e);
    }
    Map<String, Map<String, Object[]>> out = new TreeMap<>();
    for (CatalogTable t : snapshot.tables()) {
      out.computeIfAbsent(t.schema(), s -> new TreeMap<>()).put(t.table(),
          new Object[] {TABLE, t.columns()});
    }
    SystemTables.BY_SCHEMA.forEach((schema, tables) -> tables.forEach((name, columns) ->
        out.computeIfAbsent(schema, s -> new TreeMap<>()).put(name,
            new Object[] {SYSTEM_TABLE, columns})));
    return out;
  }

  ResultSet getCatalogs() throws SQLException {
    return query(List.of(varchar("TABLE_CAT")), List.of());
  }

  ResultSet getSchemas() throws SQLException {
    return getSchemas(null, null);
  }

  ResultSet getSchemas(String catalog, String schemaPattern) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    for (String schema : tables().keySet()) {
      if (matches(schemaPattern, schema)) {
        rows.add(new Object[] {schema, null});
      }
    }
    return query(List.of(varchar("TABLE_SCHEM"), varchar("TABLE_CATALOG")), rows);
  }

  ResultSet getTableTypes() throws SQLException {
    return query(List.of(varchar("TABLE_TYPE")), List.of(new Object[] {SYSTEM_TABLE},
        new Object[] {TABLE}));
  }

  ResultSet getTables(String catalog, String schemaPattern, String tablePattern,
      String[] types) throws SQLException {
    List<String> wanted = types == null ? null : Arrays.asList(types);
    List<Object[]> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object[]>> s : tables().entrySet()) {
      for (Map.Entry<String, Object[]> t : s.getValue().entrySet()) {
        String type = (String) t.getValue()[0];
        if (matches(schemaPattern, s.getKey()) && matches(tablePattern, t.getKey())
            && (wanted == null || wanted.contains(type))) {
          rows.add(new Object[] {null, s.getKey(), t.getKey(), type, null, null, null, null,
              null, null});
        }
      }
    }
    rows.sort(Comparator.comparing((Object[] r) -> (String) r[3])
        .thenComparing(r -> (String) r[1]).thenComparing(r -> (String) r[2]));
    return query(List.of(varchar("TABLE_CAT"), varchar("TABLE_SCHEM"), varchar("TABLE_NAME"),
        varchar("TABLE_TYPE"), varchar("REMARKS"), varchar("TYPE_CAT"), varchar("TYPE_SCHEM"),
        varchar("TYPE_NAME"), varchar("SELF_REFERENCING_COL_NAME"),
        varchar("REF_GENERATION")), rows);
  }

  ResultSet getColumns(String catalog, String schemaPattern, String tablePattern,
      String columnPattern) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object[]>> s : tables().entrySet()) {
      for (Map.Entry<String, Object[]> t : s.getValue().entrySet()) {
        if (!matches(schemaPattern, s.getKey()) || !matches(tablePattern, t.getKey())) {
          continue;
        }
        TableSchema schema = (TableSchema) t.getValue()[1];
        for (int i = 0; i < schema.size(); i++) {
          Column c = schema.column(i);
          if (matches(columnPattern, c.name())) {
            rows.add(columnRow(s.getKey(), t.getKey(), c, i + 1));
          }
        }
      }
    }
    return query(List.of(varchar("TABLE_CAT"), varchar("TABLE_SCHEM"), varchar("TABLE_NAME"),
        varchar("COLUMN_NAME"), integer("DATA_TYPE"), varchar("TYPE_NAME"),
        integer("COLUMN_SIZE"), integer("BUFFER_LENGTH"), integer("DECIMAL_DIGITS"),
        integer("NUM_PREC_RADIX"), integer("NULLABLE"), varchar("REMARKS"),
        varchar("COLUMN_DEF"), integer("SQL_DATA_TYPE"), integer("SQL_DATETIME_SUB"),
        integer("CHAR_OCTET_LENGTH"), integer("ORDINAL_POSITION"), varchar("IS_NULLABLE"),
        varchar("SCOPE_CATALOG"), varchar("SCOPE_SCHEMA"), varchar("SCOPE_TABLE"),
        smallint("SOURCE_DATA_TYPE"), varchar("IS_AUTOINCREMENT"),
        varchar("IS_GENERATEDCOLUMN")), rows);
  }

  private static Object[] columnRow(String schema, String table, Column c, int position) {
    ColumnType type = c.type();
    Integer radix = type.kind().numeric() ? 10 : null;
    return new Object[] {null, schema, table, c.name(), type.kind().jdbcType(), type.toSql(),
        type.columnSize(), null, type.fractionalDigits(), radix,
        c.nullable() ? DatabaseMetaData.columnNullable
            : DatabaseMetaData.columnNoNulls, null, null, null, null,
        type.kind() == ColumnType.Kind.VARCHAR || type.kind() == ColumnType.Kind.VARBINARY
            ? type.columnSize() : null, position,
        c.nullable() ? "YES" : "NO", null, null, null, null, "NO", "NO"};
  }

  ResultSet getTypeInfo() throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    ColumnType.Kind[] kinds = ColumnType.Kind.values();
    Arrays.sort(kinds, Comparator.comparing(ColumnType.Kind::name));
    for (ColumnType.Kind kind : kinds) {
      boolean decimal = kind == ColumnType.Kind.DECIMAL;
      String prefix = literalPrefix(kind);
      String suffix = prefix == null ? null : "'";
      rows.add(new Object[] {typeName(kind), kind.jdbcType(), kind.columnSizeMax(), prefix, suffix,
          decimal ? "precision,scale" : null, DatabaseMetaData.typeNullable,
          kind == ColumnType.Kind.VARCHAR, DatabaseMetaData.typeSearchable,
          false, false, false, typeName(kind), 0,
          decimal ? ColumnType.DECIMAL_PRECISION_MAX : 0, null, null, 10});
    }
    return query(List.of(varchar("TYPE_NAME"), integer("DATA_TYPE"), integer("PRECISION"),
        varchar("LITERAL_PREFIX"), varchar("LITERAL_SUFFIX"), varchar("CREATE_PARAMS"),
        smallint("NULLABLE"), bool("CASE_SENSITIVE"), smallint("SEARCHABLE"),
        bool("UNSIGNED_ATTRIBUTE"), bool("FIXED_PREC_SCALE"), bool("AUTO_INCREMENT"),
        varchar("LOCAL_TYPE_NAME"), smallint("MINIMUM_SCALE"), smallint("MAXIMUM_SCALE"),
        integer("SQL_DATA_TYPE"), integer("SQL_DATETIME_SUB"), integer("NUM_PREC_RADIX")),
        rows);
  }

  /** Returns what a literal of {@code kind} starts with, or null if it needs no quotes. */
  private static String literalPrefix(ColumnType.Kind kind) {
    return switch (kind) {
      case DATE -> "DATE '";
      case TIMESTAMP -> "TIMESTAMP '";
      case TIMESTAMPTZ -> "TIMESTAMP WITH TIME ZONE '";
      case TIME -> "TIME '";
      case VARCHAR -> "'";
      case VARBINARY -> "X'";
      case UUID -> "UUID '";
      case BIGINT, INTEGER, SMALLINT, TINYINT, DOUBLE, REAL, DECIMAL, BOOLEAN -> null;
    };
  }

  /** Returns the name getColumns reports for columns of {@code kind}, without parameters. */
  private static String typeName(ColumnType.Kind kind) {
    return kind == ColumnType.Kind.DECIMAL ? kind.name() : ColumnType.of(kind, 0, 0).toSql();
  }

  ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
    return query(List.of(varchar("TABLE_CAT"), varchar("TABLE_SCHEM"), varchar("TABLE_NAME"),
        varchar("COLUMN_NAME"), smallint("KEY_SEQ"), varchar("PK_NAME")), List.of());
  }

  private ResultSet keys() throws SQLException {
    return query(List.of(varchar("PKTABLE_CAT"), varchar("PKTABLE_SCHEM"),
        varchar("PKTABLE_NAME"), varchar("PKCOLUMN_NAME"), varchar("FKTABLE_CAT"),
        varchar("FKTABLE_SCHEM"), varchar("FKTABLE_NAME"), varchar("FKCOLUMN_NAME"),
        smallint("KEY_SEQ"), smallint("UPDATE_RULE"), smallint("DELETE_RULE"),
        varchar("FK_NAME"), varchar("PK_NAME"), smallint("DEFERRABILITY")), List.of());
  }

  ResultSet getImportedKeys(String catalog, String schema, String table) throws SQLException {
    return keys();
  }

  ResultSet getExportedKeys(String catalog, String schema, String table) throws SQLException {
    return keys();
  }

  ResultSet getCrossReference(String pc, String ps, String pt, String fc, String fs,
      String ft) throws SQLException {
    return keys();
  }

  ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique,
      boolean approximate) throws SQLException {
    return query(List.of(varchar("TABLE_CAT"), varchar("TABLE_SCHEM"), varchar("TABLE_NAME"),
        bool("NON_UNIQUE"), varchar("INDEX_QUALIFIER"), varchar("INDEX_NAME"),
        smallint("TYPE"), smallint("ORDINAL_POSITION"), varchar("COLUMN_NAME"),
        varchar("ASC_OR_DESC"), new Col("CARDINALITY", "BIGINT"), new Col("PAGES", "BIGINT"),
        varchar("FILTER_CONDITION")), List.of());
  }

  ResultSet getProcedures(String catalog, String schema, String pattern) throws SQLException {
    return query(List.of(varchar("PROCEDURE_CAT"), varchar("PROCEDURE_SCHEM"),
        varchar("PROCEDURE_NAME"), varchar("RESERVED1"), varchar("RESERVED2"),
        varchar("RESERVED3"), varchar("REMARKS"), smallint("PROCEDURE_TYPE"),
        varchar("SPECIFIC_NAME")), List.of());
  }

  ResultSet getProcedureColumns(String c, String s, String p, String col) throws SQLException {
    return empty("PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "COLUMN_NAME");
  }

  ResultSet getFunctions(String catalog, String schema, String pattern) throws SQLException {
    return query(List.of(varchar("FUNCTION_CAT"), varchar("FUNCTION_SCHEM"),
        varchar("FUNCTION_NAME"), varchar("REMARKS"), smallint("FUNCTION_TYPE"),
        varchar("SPECIFIC_NAME")), List.of());
  }

  ResultSet getFunctionColumns(String c, String s, String f, String col) throws SQLException {
    return empty("FUNCTION_CAT", "FUNCTION_SCHEM", "FUNCTION_NAME", "COLUMN_NAME");
  }

  ResultSet getColumnPrivileges(String c, String s, String t, String col) throws SQLException {
    return empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "GRANTOR",
        "GRANTEE", "PRIVILEGE", "IS_GRANTABLE");
  }

  ResultSet getTablePrivileges(String c, String s, String t) throws SQLException {
    return empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "GRANTOR", "GRANTEE", "PRIVILEGE",
        "IS_GRANTABLE");
  }

  ResultSet getBestRowIdentifier(String c, String s, String t, int scope, boolean nullable)
      throws SQLException {
    return empty("SCOPE", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME");
  }

  ResultSet getVersionColumns(String c, String s, String t) throws SQLException {
    return empty("SCOPE", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME");
  }

  ResultSet getUDTs(String c, String s, String t, int[] types) throws SQLException {
    return empty("TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "CLASS_NAME", "DATA_TYPE", "REMARKS",
        "BASE_TYPE");
  }

  ResultSet getSuperTypes(String c, String s, String t) throws SQLException {
    return empty("TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "SUPERTYPE_CAT", "SUPERTYPE_SCHEM",
        "SUPERTYPE_NAME");
  }

  ResultSet getSuperTables(String c, String s, String t) throws SQLException {
    return empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "SUPERTABLE_NAME");
  }

  ResultSet getAttributes(String c, String s, String t, String a) throws SQLException {
    return empty("TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "ATTR_NAME");
  }

  ResultSet getClientInfoProperties() throws SQLException {
    return empty("NAME", "MAX_LEN", "DEFAULT_VALUE", "DESCRIPTION");
  }

  ResultSet getPseudoColumns(String c, String s, String t, String col) throws SQLException {
    return empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME");
  }

  private ResultSet empty(String... names) throws SQLException {
    List<Col> columns = new ArrayList<>();
    for (String n : names) {
      columns.add(varchar(n));
    }
    return query(columns, List.of());
  }
}
