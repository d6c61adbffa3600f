package dev.cairn.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoldenVectorsTest {
  @Test
  void parsesNamedHexBlocksIgnoringWhitespaceAndOtherBlocks() {
    Map<String, byte[]> vectors = GoldenVectors.parse(List.of(
        "text", "```hex golden=a", "00 01", "\tFF", "```",
        "```java", "not hex", "```",
        "````markdown", "```", "````",
        "```hex golden=c", "0a", "```"), "test");
    assertEquals(List.of("a", "c"), List.copyOf(vectors.keySet()),
        "a ``` inside a ```` fence does not close it");
    assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, vectors.get("a"));
    assertArrayEquals(new byte[] {0x0a}, vectors.get("c"));
  }

  @Test
  void rejectsDuplicatesBadHexAndUnclosedBlocks() {
    assertThrows(IllegalStateException.class, () -> GoldenVectors.parse(
        List.of("```hex golden=a", "00", "```", "```hex golden=a", "01", "```"), "t"));
    assertThrows(IllegalStateException.class,
        () -> GoldenVectors.parse(List.of("```hex golden=a", "0g", "```"), "t"));
    assertThrows(IllegalStateException.class,
        () -> GoldenVectors.parse(List.of("```hex golden=a", "00"), "t"));
  }

  @Test
  void readsTheProtocolDocument() {
    assertArrayEquals(new byte[] {0, 0, 0, 9, 3, 1, 2, 3, 4, 5, 6, 7, 8},
        GoldenVectors.hex("frame-ping"));
    assertThrows(IllegalArgumentException.class, () -> GoldenVectors.hex("no-such-vector"));
  }
}
