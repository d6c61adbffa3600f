package dev.cairn.tpchdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ResultMatchTest {
  private static final List<String> LABELS = List.of("k", "v");
  private static final Supplier<List<List<Object>>> NO_UNCUT = () -> {
    throw new AssertionError("the uncut reference was not needed");
  };

  private static List<Object> row(Object... values) {
    List<Object> row = new ArrayList<>();
    for (Object v : values) {
      row.add(v instanceof Integer i ? BigDecimal.valueOf(i) : v);
    }
    return row;
  }

  private static String diff(String sql, List<List<Object>> expected,
      List<List<Object>> actual, Supplier<List<List<Object>>> uncut) {
    return ResultMatch.difference(expected, actual, QueryOrder.of(sql), LABELS, uncut);
  }

  @Test
  void numbersMatchWithinOneMillionthRelativeOnly() {
    assertTrue(ResultMatch.valuesEqual(new BigDecimal("1000000"), new BigDecimal("1000000.9")));
    assertFalse(ResultMatch.valuesEqual(new BigDecimal("1.23456789"), new BigDecimal("1.235")));
    assertTrue(ResultMatch.valuesEqual(BigDecimal.ZERO, new BigDecimal("1e-12")));
    assertFalse(ResultMatch.valuesEqual(new BigDecimal("0.01"), new BigDecimal("0.02")));
  }

  @Test
  void textMatchesExactlyTrailingBlanksIncluded() {
    assertFalse(ResultMatch.valuesEqual("store", "store  "));
    assertNotNull(diff("SELECT k, v FROM t", List.of(row("store", 1)),
        List.of(row("store  ", 1)), NO_UNCUT));
  }

  @Test
  void rowsTiedOnTheOrderKeysMayComeInAnyOrder() {
    String sql = "SELECT k, v FROM t ORDER BY k";
    List<List<Object>> expected = List.of(row(1, 10), row(1, 11), row(2, 12));
    assertNull(diff(sql, expected, List.of(row(1, 11), row(1, 10), row(2, 12)), NO_UNCUT));
    assertNotNull(diff(sql, expected, List.of(row(1, 10), row(2, 12), row(1, 11)), NO_UNCUT));
    assertNotNull(diff(sql, expected, List.of(row(1, 10), row(1, 13), row(2, 12)), NO_UNCUT));
    assertNotNull(diff("SELECT k, v FROM t ORDER BY k, v", expected,
        List.of(row(1, 11), row(1, 10), row(2, 12)), NO_UNCUT));
  }

  @Test
  void tiedRowsAtTheLimitCutMayBeOthersOfTheReferenceWithThatKey() {
    String sql = "SELECT k, v FROM t ORDER BY k LIMIT 2";
    List<List<Object>> expected = List.of(row(1, 10), row(2, 11));
    List<List<Object>> uncut = List.of(row(1, 10), row(2, 11), row(2, 12), row(3, 13));
    assertNull(diff(sql, expected, List.of(row(1, 10), row(2, 12)), () -> uncut));
    assertNotNull(diff(sql, expected, List.of(row(1, 10), row(2, 14)), () -> uncut));
    assertNotNull(diff(sql, expected, List.of(row(1, 12), row(2, 11)), () -> uncut));
  }

  @Test
  void noLeewayAtTheCutWhenAnOrderKeyIsAnExpression() {
    String sql = "SELECT k, v FROM t ORDER BY k, v * 2 LIMIT 2";
    List<List<Object>> expected = List.of(row(1, 10), row(2, 11));
    assertNotNull(diff(sql, expected, List.of(row(1, 10), row(2, 12)), NO_UNCUT));
  }

  @Test
  void rowCountsMustBeEqual() {
    String difference = diff("SELECT k, v FROM t", List.of(row(1, 1)),
        Arrays.asList(row(1, 1), row(1, 1)), NO_UNCUT);
    assertTrue(difference.startsWith("row count 2, expected 1"), difference);
  }

  @Test
  void unorderedRowsMatchAsAMultiset() {
    assertNull(diff("SELECT k, v FROM t", List.of(row(1, 1), row(2, 2)),
        List.of(row(2, 2), row(1, 1)), NO_UNCUT));
    assertNotNull(diff("SELECT k, v FROM t", List.of(row(1, 1), row(1, 1)),
        List.of(row(1, 1), row(2, 2)), NO_UNCUT));
    assertEquals(null, diff("SELECT k, v FROM t", List.of(row(null, 1)),
        List.of(row(null, 1)), NO_UNCUT));
  }
}
