package dev.cairn.calcite.sql;

import dev.cairn.calcite.CatalogTable;
import dev.cairn.calcite.StaticCatalog;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import java.util.ArrayList;
import java.util.List;

/** Small catalogs for translator tests. */
final class TestCatalogs {
  private TestCatalogs() {}

  static Column col(String name, ColumnType type) {
    return new Column(name, type, true);
  }

  static CatalogTable table(String schema, String name, long version, Column... columns) {
    return new CatalogTable(schema, name, version, new TableSchema(List.of(columns)), 100);
  }

  /** tpch.orders v1..v3, tpch.lineitem v1, shop.items v2, shop."MixedCase" v1. */
  static StaticCatalog shop() {
    List<CatalogTable> tables = new ArrayList<>();
    for (long v = 1; v <= 3; v++) {
      tables.add(table("tpch", "orders", v, col("o_orderkey", ColumnType.BIGINT),
          col("o_custkey", ColumnType.BIGINT), col("o_totalprice", ColumnType.decimal(15, 2)),
          col("o_orderdate", ColumnType.DATE), col("o_comment", ColumnType.VARCHAR)));
    }
    tables.add(table("tpch", "lineitem", 1, col("l_orderkey", ColumnType.BIGINT),
        col("l_quantity", ColumnType.decimal(15, 2)), col("l_discount", ColumnType.decimal(15, 2)),
        col("l_shipdate", ColumnType.DATE), col("l_returnflag", ColumnType.VARCHAR),
        col("l_linenumber", ColumnType.INTEGER)));
    tables.add(table("shop", "items", 2, col("id", ColumnType.INTEGER),
        col("name", ColumnType.VARCHAR), col("price", ColumnType.DOUBLE),
        col("added", ColumnType.TIMESTAMP), col("active", ColumnType.BOOLEAN),
        col("value", ColumnType.BIGINT)));
    tables.add(table("shop", "MixedCase", 1, col("Id", ColumnType.INTEGER)));
    return new StaticCatalog(tables);
  }
}
