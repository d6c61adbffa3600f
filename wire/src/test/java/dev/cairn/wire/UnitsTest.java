package dev.cairn.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {
  @Test
  void parsesSizesRatesAndDurations() {
    assertEquals(10L << 30, Units.parseSize("10GiB"));
    assertEquals(512L << 20, Units.parseSize("512MiB"));
    assertEquals(100_000_000L, Units.parseSize("100MB"));
    assertEquals(1536, Units.parseSize("1.5KiB"));
    assertEquals(42, Units.parseSize("42"));
    assertEquals(20L << 20, Units.parseRate("20MiB/s"));
    assertEquals(Duration.ofSeconds(30), Units.parseDuration("30s"));
    assertEquals(Duration.ofMillis(250), Units.parseDuration("250ms"));
    assertEquals(Duration.ofMinutes(5), Units.parseDuration("5m"));
    assertEquals("1.5 GiB", Units.formatSize(3L << 29));
    assertEquals("12 B", Units.formatSize(12));
  }

  @Test
  void refusesWhatItCannotRead() {
    assertThrows(IllegalArgumentException.class, () -> Units.parseSize("10 parsecs"));
    assertThrows(IllegalArgumentException.class, () -> Units.parseSize("-5GiB"));
    assertThrows(IllegalArgumentException.class, () -> Units.parseRate("20MiB"));
    assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("soon"));
  }
}
