package dev.cairn.wire.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Our UTF-8 check accepts exactly what the JDK's reporting decoder accepts. */
class Utf8Test {
  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @Test
  void agreesWithTheJdkDecoderOnRandomAndEdgeSequences() {
    int[][] edges = {{0xC2, 0x80}, {0xC1, 0xBF}, {0xE0, 0xA0, 0x80}, {0xE0, 0x9F, 0xBF},
        {0xED, 0x9F, 0xBF}, {0xED, 0xA0, 0x80}, {0xEF, 0xBF, 0xBD}, {0xF0, 0x90, 0x80, 0x80},
        {0xF0, 0x8F, 0xBF, 0xBF}, {0xF4, 0x8F, 0xBF, 0xBF}, {0xF4, 0x90, 0x80, 0x80},
        {0xF5, 0x80, 0x80, 0x80}, {0xE2, 0x82}, {0x80}, {0xFF}, {0x41, 0xC3}};
    for (int[] edge : edges) {
      byte[] bytes = new byte[edge.length];
      for (int i = 0; i < edge.length; i++) {
        bytes[i] = (byte) edge[i];
      }
      assertEquals(jdkAccepts(bytes), Utf8.isValid(bytes, 0, bytes.length),
          java.util.Arrays.toString(edge));
    }
    Random random = new Random(20);
    int[] leads = {0x41, 0x80, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5};
    for (int round = 0; round < 200_000; round++) {
      byte[] bytes = new byte[1 + random.nextInt(6)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (random.nextInt(3) == 0 ? leads[random.nextInt(leads.length)]
            : 0x80 + random.nextInt(0x40));
      }
      assertEquals(jdkAccepts(bytes), Utf8.isValid(bytes, 0, bytes.length),
          java.util.Arrays.toString(bytes));
    }
  }

  @Test
  void asciiIsSeenAtEveryOffsetAndLengthAndOneHighByteAnywhereIsNot() {
    byte[] text = new byte[40];
    java.util.Arrays.fill(text, (byte) 'a');
    for (int from = 0; from < 9; from++) {
      for (int to = from; to <= text.length; to++) {
        assertEquals(true, Utf8.isAscii(text, from, to), from + ".." + to);
        assertEquals(true, Utf8.isValid(text, from, to), from + ".." + to);
        for (int high = from; high < to; high++) {
          for (byte value : new byte[] {(byte) 0x80, (byte) 0xC3, (byte) 0xFF}) {
            text[high] = value;
            assertEquals(false, Utf8.isAscii(text, from, to), from + ".." + to + " @" + high);
            text[high] = 'a';
          }
        }
        if (from > 0) {
          text[from - 1] = (byte) 0xFF; // outside the range: must not count
          assertEquals(true, Utf8.isAscii(text, from, to), from + ".." + to);
          text[from - 1] = 'a';
        }
      }
    }
  }

  @Test
  void aMultiByteCharacterAfterAnAsciiRunIsCheckedInFull() {
    byte[] ok = "abcdefghij\u00e9klmnopqrstuv\u20ac".getBytes(StandardCharsets.UTF_8);
    assertEquals(true, Utf8.isValid(ok, 0, ok.length));
    byte[] truncated = java.util.Arrays.copyOf(ok, ok.length - 1);
    assertEquals(false, Utf8.isValid(truncated, 0, truncated.length));
    byte[] overlong = "abcdefgh".getBytes(StandardCharsets.US_ASCII);
    overlong = java.util.Arrays.copyOf(overlong, 10);
    overlong[8] = (byte) 0xC1;
    overlong[9] = (byte) 0xBF;
    assertEquals(false, Utf8.isValid(overlong, 0, overlong.length));
  }
}
