package dev.cairn.tpchdata;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.util.List;
import java.util.Locale;

/**
 * The eight TPC-H tables with their standard lower-case column names and the types of the TPC-H
 * specification (section 1.3): identifiers BIGINT, integers INTEGER, money and other decimals
 * DECIMAL(15,2), dates DATE, text VARCHAR. Every column is NOT NULL, as the specification
 * requires.
 *
 * <p>Constants are in the order a loader should create them: each table after those its keys
 * refer to.
 */
public enum TpchTable implements BenchmarkTable {
  NATION("nation",
      id("n_nationkey"), text("n_name"), id("n_regionkey"), text("n_comment")),
  REGION("region",
      id("r_regionkey"), text("r_name"), text("r_comment")),
  PART("part",
      id("p_partkey"), text("p_name"), text("p_mfgr"), text("p_brand"), text("p_type"),
      integer("p_size"), text("p_container"), decimal("p_retailprice"), text("p_comment")),
  SUPPLIER("supplier",
      id("s_suppkey"), text("s_name"), text("s_address"), id("s_nationkey"), text("s_phone"),
      decimal("s_acctbal"), text("s_comment")),
  PARTSUPP("partsupp",
      id("ps_partkey"), id("ps_suppkey"), integer("ps_availqty"), decimal("ps_supplycost"),
      text("ps_comment")),
  CUSTOMER("customer",
      id("c_custkey"), text("c_name"), text("c_address"), id("c_nationkey"), text("c_phone"),
      decimal("c_acctbal"), text("c_mktsegment"), text("c_comment")),
  ORDERS("orders",
      id("o_orderkey"), id("o_custkey"), text("o_orderstatus"), decimal("o_totalprice"),
      date("o_orderdate"), text("o_orderpriority"), text("o_clerk"), integer("o_shippriority"),
      text("o_comment")),
  LINEITEM("lineitem",
      id("l_orderkey"), id("l_partkey"), id("l_suppkey"), integer("l_linenumber"),
      decimal("l_quantity"), decimal("l_extendedprice"), decimal("l_discount"),
      decimal("l_tax"), text("l_returnflag"), text("l_linestatus"), date("l_shipdate"),
      date("l_commitdate"), date("l_receiptdate"), text("l_shipinstruct"), text("l_shipmode"),
      text("l_comment"));

  /** The type of every money and decimal column: the specification's "decimal" domain. */
  public static final ColumnType DECIMAL_TYPE = ColumnType.decimal(15, 2);

  private final String tableName;
  private final TableSchema schema;

  TpchTable(String tableName, Column... columns) {
    this.tableName = tableName;
    this.schema = new TableSchema(List.of(columns));
  }

  /** Returns the table's lower-case name, e.g. {@code lineitem}. */
  @Override
  public String tableName() {
    return tableName;
  }

  /** Returns the columns, all NOT NULL, in the specification's order. */
  @Override
  public TableSchema schema() {
    return schema;
  }

  /** Returns the table named {@code name} (case ignored), or throws NOT_FOUND. */
  public static TpchTable byName(String name) {
    for (TpchTable t : values()) {
      if (t.tableName.equals(name.toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new CairnException(ErrorCode.NOT_FOUND, "no TPC-H table named '" + name + "'");
  }

  private static Column id(String name) {
    return new Column(name, ColumnType.BIGINT, false);
  }

  private static Column integer(String name) {
    return new Column(name, ColumnType.INTEGER, false);
  }

  private static Column decimal(String name) {
    return new Column(name, ColumnType.decimal(15, 2), false);
  }

  private static Column date(String name) {
    return new Column(name, ColumnType.DATE, false);
  }

  private static Column text(String name) {
    return new Column(name, ColumnType.VARCHAR, false);
  }
}
