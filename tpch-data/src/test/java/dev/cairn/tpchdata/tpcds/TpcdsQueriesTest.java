package dev.cairn.tpchdata.tpcds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TpcdsQueriesTest {
  @Test
  void hasNinetyNineSingleStatements() {
    assertEquals(99, TpcdsQueries.all().size());
    for (var query : TpcdsQueries.all().entrySet()) {
      String text = query.getValue();
      String start = text.toLowerCase(Locale.ROOT);
      assertTrue(start.startsWith("select") || start.startsWith("with"), "q" + query.getKey());
      assertFalse(text.contains(";"), "q" + query.getKey());
    }
    assertTrue(TpcdsQueries.text(1).startsWith("WITH customer_total_return AS"));
  }

  @Test
  void numbersSelectsASubsetOrAll() {
    assertEquals(List.of(5, 14, 36), TpcdsQueries.numbers(" 5,q14 ,36"));
    assertEquals(99, TpcdsQueries.numbers(null).size());
    assertEquals(99, TpcdsQueries.numbers("").size());
    assertEquals(ErrorCode.NOT_FOUND,
        assertThrows(CairnException.class, () -> TpcdsQueries.numbers("100")).code());
    assertEquals(ErrorCode.BAD_FORMAT,
        assertThrows(CairnException.class, () -> TpcdsQueries.numbers("x")).code());
  }
}
