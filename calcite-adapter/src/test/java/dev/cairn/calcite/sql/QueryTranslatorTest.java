package dev.cairn.calcite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.calcite.StaticCatalog;
import dev.cairn.wire.ErrorCode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryTranslatorTest {
  private final QueryTranslator translator = new QueryTranslator();
  private final StaticCatalog catalog = TestCatalogs.shop();

  private TranslatedQuery translate(String sql) {
    return translator.translate(sql, catalog);
  }

  @Test
  void unquotedNamesMatchLowerCaseTables() {
    TranslatedQuery q = translate("SELECT L_ORDERKEY FROM TPCH.LINEITEM");
    System.out.println(q);
    assertTrue(q.duckdbSql().contains("\"tpch\".\"lineitem$v1\""), q.duckdbSql());
    assertEquals("l_orderkey", q.columns().get(0).name());
    TableUse use = q.tables().get(0);
    assertEquals("tpch", use.schema());
    assertEquals("lineitem", use.table());
    assertEquals(1, use.version());
    assertEquals(Set.of(0), use.columns());
  }
}
