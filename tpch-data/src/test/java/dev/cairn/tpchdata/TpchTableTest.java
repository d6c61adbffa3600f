package dev.cairn.tpchdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TpchTableTest {
  @Test
  void hasTheEightTablesWithTheirColumnCounts() {
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("nation", 4);
    expected.put("region", 3);
    expected.put("part", 9);
    expected.put("supplier", 7);
    expected.put("partsupp", 5);
    expected.put("customer", 8);
    expected.put("orders", 9);
    expected.put("lineitem", 16);
    Map<String, Integer> actual = new LinkedHashMap<>();
    for (TpchTable t : TpchTable.values()) {
      actual.put(t.tableName(), t.schema().size());
    }
    assertEquals(expected, actual);
  }

  @Test
  void everyColumnIsNotNull() {
    for (TpchTable t : TpchTable.values()) {
      for (Column c : t.schema().columns()) {
        assertFalse(c.nullable(), c.name());
      }
    }
  }

  @Test
  void usesTheSpecificationTypes() {
    Map<String, ColumnType> types = new LinkedHashMap<>();
    for (TpchTable t : TpchTable.values()) {
      for (Column c : t.schema().columns()) {
        types.put(c.name(), c.type());
      }
    }
    for (String money : List.of("l_quantity", "l_extendedprice", "l_discount", "l_tax",
        "p_retailprice", "ps_supplycost", "s_acctbal", "c_acctbal", "o_totalprice")) {
      assertEquals(ColumnType.decimal(15, 2), types.get(money), money);
    }
    for (String key : List.of("l_orderkey", "l_partkey", "l_suppkey", "o_custkey",
        "n_regionkey", "r_regionkey", "ps_partkey", "c_nationkey")) {
      assertEquals(ColumnType.BIGINT, types.get(key), key);
    }
    for (String integer : List.of("l_linenumber", "p_size", "ps_availqty", "o_shippriority")) {
      assertEquals(ColumnType.INTEGER, types.get(integer), integer);
    }
    for (String date : List.of("l_shipdate", "l_commitdate", "l_receiptdate", "o_orderdate")) {
      assertEquals(ColumnType.DATE, types.get(date), date);
    }
    assertEquals(ColumnType.VARCHAR, types.get("l_returnflag"));
    assertEquals(ColumnType.VARCHAR, types.get("o_orderstatus"));
  }

  @Test
  void lineitemColumnsAreInSpecificationOrder() {
    assertEquals(List.of("l_orderkey", "l_partkey", "l_suppkey", "l_linenumber", "l_quantity",
        "l_extendedprice", "l_discount", "l_tax", "l_returnflag", "l_linestatus", "l_shipdate",
        "l_commitdate", "l_receiptdate", "l_shipinstruct", "l_shipmode", "l_comment"),
        TpchTable.LINEITEM.columnNames());
  }

  @Test
  void createTableSqlNamesTypesAndNotNull() {
    assertEquals("CREATE TABLE region (r_regionkey BIGINT NOT NULL, r_name VARCHAR NOT NULL,"
        + " r_comment VARCHAR NOT NULL)", TpchTable.REGION.createTableSql());
  }

  @Test
  void findsTablesByNameIgnoringCase() {
    assertSame(TpchTable.PARTSUPP, TpchTable.byName("PartSupp"));
    CairnException e = assertThrows(CairnException.class, () -> TpchTable.byName("line"));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
  }
}
