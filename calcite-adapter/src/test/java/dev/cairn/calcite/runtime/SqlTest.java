package dev.cairn.calcite.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Putting the runtime's relations in place of the translated table names. */
class SqlTest {
  @Test
  void relationsAreReplacedInOnePassSoAReplacementIsNeverReplacedAgain() {
    Map<String, String> relations = new LinkedHashMap<>();
    relations.put("\"tpch\".\"t$v1\"", "\"cairn_s1_tpch\".\"t$v1\"");
    relations.put("\"cairn_s1_tpch\".\"t$v1\"", "\"cairn_s1_cairn_s1_tpch\".\"t$v1\"");
    relations.put("\"cairn\".\"nodes\"", "\"cairn_system\".\"nodes$1\"");
    String sql = "SELECT * FROM \"tpch\".\"t$v1\", \"cairn_s1_tpch\".\"t$v1\" AS \"x\","
        + " \"cairn\".\"nodes\" WHERE \"t$v1\".\"a\" = 1 AND \"tpch\".\"t$v1\".\"b\" = '$1\\\\'";
    assertEquals("SELECT * FROM \"cairn_s1_tpch\".\"t$v1\", \"cairn_s1_cairn_s1_tpch\".\"t$v1\""
        + " AS \"x\", \"cairn_system\".\"nodes$1\" WHERE \"t$v1\".\"a\" = 1 AND"
        + " \"cairn_s1_tpch\".\"t$v1\".\"b\" = '$1\\\\'", Sql.replaceRelations(sql, relations));
  }
}
