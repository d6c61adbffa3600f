package dev.cairn.client.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The quick path for plain decimals gives exactly the double {@code Double.parseDouble} does. */
class PlainDecimalsTest {
  private static void assertSameAsJdk(String text) {
    assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)),
        Double.doubleToRawLongBits(PlainDecimals.parse(text)), text);
    assertEquals(Double.doubleToRawLongBits(PlainDecimals.parse(text)),
        Double.doubleToRawLongBits(PlainDecimals.parse(asciiBytes(text), 0, text.length())),
        text);
  }

  private static byte[] asciiBytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Test
  void plainDecimalsAreBitForBitTheJdksDouble() {
    for (String text : new String[] {"0", "-0", "-0.0", "0.00", "1.", ".5", "-.5", "007.50",
        "0.1", "0.2", "0.3", "9007199254740.99", "999999999999999", "-99999999999999.9",
        "0.00000000000001", "123456789012345", "1.23456789012345", "37.01", "36901.00"}) {
      assertSameAsJdk(text);
    }
    Random random = new Random(20);
    for (int i = 0; i < 200_000; i++) {
      int digits = 1 + random.nextInt(PlainDecimals.DIGITS_MAX);
      StringBuilder text = new StringBuilder(random.nextBoolean() ? "-" : "");
      int point = random.nextInt(digits + 1);
      for (int d = 0; d < digits; d++) {
        if (d == point) {
          text.append('.');
        }
        text.append((char) ('0' + random.nextInt(10)));
      }
      assertSameAsJdk(text.toString());
    }
  }

  @Test
  void otherShapesAreLeftToTheCaller() {
    for (String text : new String[] {"", "-", ".", "1e5", "+1", "1.2.3", "--1", "1-",
        "NaN", "Infinity", " 1", "1 ", "0x10", "1234567890123456", "0.0000000000000001"}) {
      assertTrue(Double.isNaN(PlainDecimals.parse(text)), text);
      assertTrue(Double.isNaN(PlainDecimals.parse(asciiBytes(text), 0, text.length())), text);
    }
  }
}
