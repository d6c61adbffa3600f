package dev.cairn.tpchdata.tpcds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TpcdsTableTest {
  private static ColumnType type(TpcdsTable table, String column) {
    Map<String, ColumnType> types = new HashMap<>();
    for (Column c : table.schema().columns()) {
      types.put(c.name(), c.type());
    }
    return types.get(column);
  }

  @Test
  void hasTheTwentyFourTablesOfTheSpecification() {
    assertEquals(24, TpcdsTable.values().length);
    assertEquals(23, TpcdsTable.STORE_SALES.schema().size());
    assertEquals(TpcdsTable.WEB_SITE, TpcdsTable.byName("WEB_site"));
  }

  @Test
  void mapsEachTpcdsTypeOntoOneCairnType() {
    assertEquals(ColumnType.BIGINT, type(TpcdsTable.STORE_SALES, "ss_sold_date_sk"));
    assertEquals(ColumnType.INTEGER, type(TpcdsTable.STORE_SALES, "ss_quantity"));
    assertEquals(ColumnType.decimal(7, 2), type(TpcdsTable.STORE_SALES, "ss_list_price"));
    assertEquals(ColumnType.decimal(5, 2), type(TpcdsTable.STORE, "s_gmt_offset"));
    assertEquals(ColumnType.DATE, type(TpcdsTable.DATE_DIM, "d_date"));
    assertEquals(ColumnType.VARCHAR, type(TpcdsTable.STORE, "s_state")); // char(2)
    assertEquals(ColumnType.VARCHAR, type(TpcdsTable.STORE, "s_store_name")); // varchar(50)
  }

  @Test
  void everyColumnIsNullable() {
    for (TpcdsTable table : TpcdsTable.values()) {
      for (Column c : table.schema().columns()) {
        assertTrue(c.nullable(), table.tableName() + "." + c.name());
      }
    }
  }
}
