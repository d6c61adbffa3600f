package dev.cairn.tpchdata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.tpchdata.tpcds.TpcdsQueries;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class QueryOrderTest {
  @Test
  void readsTheOutermostKeysAndLimitOnly() {
    QueryOrder order = QueryOrder.of("WITH x AS (SELECT a FROM t ORDER BY a LIMIT 5)\n"
        + "SELECT x.a, rank() OVER (ORDER BY b) r, 'order by z' s FROM x\n"
        + "ORDER BY x.a DESC NULLS FIRST, sum(b, c) ASC, 2\nLIMIT 100");
    assertTrue(order.ordered());
    assertEquals(List.of("x.a", "sum(b, c)", "2"), order.keys());
    assertEquals(OptionalLong.of(100), order.limit());
    assertTrue(order.withoutLimit().endsWith("2"), order.withoutLimit());
    assertArrayEquals(new int[] {0, -1, 1}, order.keyColumns(List.of("a", "r", "s")));
  }

  @Test
  void anOrderByInsideParenthesesLeavesTheResultUnordered() {
    QueryOrder order = QueryOrder.of("SELECT * FROM (SELECT a FROM t ORDER BY a) LIMIT 3");
    assertFalse(order.ordered());
    assertEquals(OptionalLong.of(3), order.limit());
    assertEquals("SELECT * FROM (SELECT a FROM t ORDER BY a)", order.withoutLimit());
  }

  @Test
  void aNameOfTwoResultColumnsPlacesNoKey() {
    QueryOrder order = QueryOrder.of("SELECT a.d, b.d, e FROM a, b ORDER BY b.d, e");
    assertArrayEquals(new int[] {-1, 2}, order.keyColumns(List.of("d", "d", "e")));
  }

  @Test
  void nineTpcdsQueriesAreUnorderedAndTheRestOrderOutermost() {
    Set<Integer> unordered = new TreeSet<>();
    for (var query : TpcdsQueries.all().entrySet()) {
      if (!QueryOrder.of(query.getValue()).ordered()) {
        unordered.add(query.getKey());
      }
    }
    // The nine whose text ends without ORDER BY; the other 90 end with one.
    assertEquals(Set.of(9, 13, 28, 32, 38, 48, 87, 88, 97), unordered);
  }
}
