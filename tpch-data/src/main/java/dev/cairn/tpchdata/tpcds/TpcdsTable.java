package dev.cairn.tpchdata.tpcds;

import dev.cairn.tpchdata.BenchmarkTable;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import io.trino.tpcds.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The 24 TPC-DS tables (7 fact tables, 17 dimensions) with the column names and types of
 * io.trino.tpcds, mapped onto Cairn's types (see {@link #cairnType}). Every column is nullable:
 * the generator leaves most of them NULL in some rows, and declaring NOT NULL only on the keys
 * that never are would change nothing a query can observe.
 *
 * <p>The generator's 25th table, {@code dbgen_version}, is left out: it records the generator
 * run (its only TIME column among them), no query reads it, and it differs on every run.
 */
public enum TpcdsTable implements BenchmarkTable {
  CALL_CENTER(Table.CALL_CENTER),
  CATALOG_PAGE(Table.CATALOG_PAGE),
  CATALOG_RETURNS(Table.CATALOG_RETURNS),
  CATALOG_SALES(Table.CATALOG_SALES),
  CUSTOMER(Table.CUSTOMER),
  CUSTOMER_ADDRESS(Table.CUSTOMER_ADDRESS),
  CUSTOMER_DEMOGRAPHICS(Table.CUSTOMER_DEMOGRAPHICS),
  DATE_DIM(Table.DATE_DIM),
  HOUSEHOLD_DEMOGRAPHICS(Table.HOUSEHOLD_DEMOGRAPHICS),
  INCOME_BAND(Table.INCOME_BAND),
  INVENTORY(Table.INVENTORY),
  ITEM(Table.ITEM),
  PROMOTION(Table.PROMOTION),
  REASON(Table.REASON),
  SHIP_MODE(Table.SHIP_MODE),
  STORE(Table.STORE),
  STORE_RETURNS(Table.STORE_RETURNS),
  STORE_SALES(Table.STORE_SALES),
  TIME_DIM(Table.TIME_DIM),
  WAREHOUSE(Table.WAREHOUSE),
  WEB_PAGE(Table.WEB_PAGE),
  WEB_RETURNS(Table.WEB_RETURNS),
  WEB_SALES(Table.WEB_SALES),
  WEB_SITE(Table.WEB_SITE);

  private final Table source;
  private final TableSchema schema;

  TpcdsTable(Table source) {
    this.source = source;
    List<Column> columns = new ArrayList<>();
    for (io.trino.tpcds.column.Column c : source.getColumns()) {
      columns.add(new Column(c.getName(), cairnType(c.getType()), true));
    }
    this.schema = new TableSchema(columns);
  }

  /** Returns the table's lower-case name, e.g. {@code store_sales}. */
  @Override
  public String tableName() {
    return source.getName();
  }

  /** Returns the columns, all nullable, in the specification's order. */
  @Override
  public TableSchema schema() {
    return schema;
  }

  /** Returns the io.trino.tpcds table this one is generated from. */
  Table source() {
    return source;
  }

  /** Returns the table named {@code name} (case ignored), or throws NOT_FOUND. */
  public static TpcdsTable byName(String name) {
    for (TpcdsTable t : values()) {
      if (t.tableName().equals(name.toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new CairnException(ErrorCode.NOT_FOUND, "no TPC-DS table named '" + name + "'");
  }

  /**
   * Returns the Cairn type of a TPC-DS column type. Identifiers (the surrogate keys) become
   * BIGINT, as TPC-H's keys do here and as Trino's tpcds connector maps them, because the
   * specification asks only that an identifier hold every key generated at any scale factor;
   * integers INTEGER; decimal(p,s) exactly DECIMAL(p,s); char(n) and varchar(n) VARCHAR (the
   * generator writes no padding, and Cairn has no fixed-length text); dates DATE. TIME occurs
   * only in {@code dbgen_version}, which is not one of the 24 tables, so it has no mapping.
   */
  static ColumnType cairnType(io.trino.tpcds.column.ColumnType type) {
    return switch (type.getBase()) {
      case IDENTIFIER -> ColumnType.BIGINT;
      case INTEGER -> ColumnType.INTEGER;
      case DECIMAL -> ColumnType.decimal(type.getPrecision().orElseThrow(),
          type.getScale().orElseThrow());
      case CHAR, VARCHAR -> ColumnType.VARCHAR;
      case DATE -> ColumnType.DATE;
      case TIME -> throw new CairnException(ErrorCode.BAD_FORMAT,
          "TPC-DS column type TIME has no Cairn mapping");
    };
  }
}
