package dev.cairn.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ColumnStatsTest {
  @Test
  void stringsCompareInTheUtf8ByteOrderTheStatisticsAreKeptIn() {
    String[] values = {"", "a", "ab", "b", "é", "\uFFFF", "\uD83D\uDE00", "\uD83D\uDE00a", "z"};
    for (String a : values) {
      for (String b : values) {
        int bytes = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
            b.getBytes(StandardCharsets.UTF_8));
        assertEquals(Integer.signum(bytes), Integer.signum(ColumnStats.compareCodePoints(a, b)),
            a + " vs " + b);
      }
    }
  }
}
