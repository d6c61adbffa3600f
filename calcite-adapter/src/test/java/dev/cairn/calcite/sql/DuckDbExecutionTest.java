package dev.cairn.calcite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.calcite.StaticCatalog;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs translations on a real in-memory DuckDB: null order follows Cairn's (PostgreSQL's)
 * semantics although DuckDB's default differs, parameters bind, and types and intervals parse.
 */
class DuckDbExecutionTest {
  private final QueryTranslator translator = new QueryTranslator();
  private final StaticCatalog catalog = TestCatalogs.shop();

  @RegisterExtension
  final ShopItemsDuckDb shop = new ShopItemsDuckDb("(1, 'a', 2.5, TIMESTAMP '2024-01-01"
      + " 10:00:00', true, NULL), (2, NULL, NULL, NULL, NULL, 7), (3, 'c', 1.0, TIMESTAMP"
      + " '2024-03-01 00:00:00', false, 5), (4, 'b', NULL, NULL, true, NULL)");

  private List<Object> ids(String sql) throws Exception {
    TranslatedQuery q = translator.translate(sql, catalog);
    List<Object> ids = new ArrayList<>();
    try (Statement s = shop.connection().createStatement();
        ResultSet rs = s.executeQuery(q.duckdbSql())) {
      while (rs.next()) {
        ids.add(rs.getInt(1));
      }
    }
    return ids;
  }

  @Test
  void nullsSortLastAscendingAndFirstDescending() throws Exception {
    assertEquals(Arrays.asList(3, 1, 2, 4), ids("SELECT id FROM shop.items ORDER BY price, id"));
    assertEquals(Arrays.asList(2, 4, 1, 3),
        ids("SELECT id FROM shop.items ORDER BY price DESC, id"));
    assertEquals(Arrays.asList(2, 4, 3, 1),
        ids("SELECT id FROM shop.items ORDER BY price NULLS FIRST, id"));
    assertEquals(Arrays.asList(1, 3, 2, 4),
        ids("SELECT id FROM shop.items ORDER BY price DESC NULLS LAST, id"));
    assertEquals(Arrays.asList(2, 3, 4, 1),
        ids("SELECT id FROM shop.items ORDER BY name DESC, id"));
    assertEquals(Arrays.asList(1, 4),
        ids("SELECT id FROM shop.items ORDER BY value DESC, id LIMIT 2"));
  }

  @Test
  void windowOrderFollowsTheSameRule() throws Exception {
    assertEquals(Arrays.asList(2, 4, 1, 3), ids("SELECT id FROM (SELECT id, row_number() OVER"
        + " (ORDER BY price DESC, id) AS r FROM shop.items) t ORDER BY r"));
  }

  @Test
  void parametersBind() throws Exception {
    TranslatedQuery q = translator.translate("SELECT id FROM shop.items WHERE price > ?"
        + " AND name <> ? ORDER BY id", catalog);
    assertEquals(2, q.parameterCount());
    try (PreparedStatement p = shop.connection().prepareStatement(q.duckdbSql())) {
      p.setDouble(1, 1.5);
      p.setString(2, "zzz");
      try (ResultSet rs = p.executeQuery()) {
        List<Integer> ids = new ArrayList<>();
        while (rs.next()) {
          ids.add(rs.getInt(1));
        }
        assertEquals(List.of(1), ids);
      }
    }
  }

  @Test
  void typesCastsAndIntervalsRun() throws Exception {
    TranslatedQuery q = translator.translate("SELECT CAST(id AS DOUBLE) AS d,"
        + " CAST(price AS DECIMAL(10,2)) AS m, CAST(id AS VARCHAR) AS s, CAST(value AS INTEGER)"
        + " AS i, added + interval '1' month AS later, CAST(added AS DATE) AS day"
        + " FROM shop.items WHERE added >= timestamp '2024-01-01 00:00:00' - interval '2' day"
        + " AND extract(year from added) = 2024 ORDER BY id", catalog);
    try (Statement s = shop.connection().createStatement();
        ResultSet rs = s.executeQuery(q.duckdbSql())) {
      rs.next();
      assertEquals(1.0, rs.getDouble("d"));
      assertEquals(new BigDecimal("2.50"), rs.getBigDecimal("m"));
      assertEquals("1", rs.getString("s"));
      assertEquals("2024-02-01 10:00:00.0", rs.getTimestamp("later").toString());
      rs.next();
      assertEquals(5, rs.getInt("i"));
      assertEquals(false, rs.next());
    }
  }
}
