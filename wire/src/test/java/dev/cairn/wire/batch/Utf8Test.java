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
}
