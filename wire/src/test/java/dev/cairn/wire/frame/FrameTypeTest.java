package dev.cairn.wire.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.wire.ErrorCode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FrameTypeTest {
  @Test
  void codesAreStable() {
    assertEquals(1, FrameType.HELLO.code());
    assertEquals(2, FrameType.ERROR.code());
    assertEquals(3, FrameType.PING.code());
    assertEquals(4, FrameType.PONG.code());
    assertEquals(16, FrameType.PUT_BLOB.code());
    assertEquals(25, FrameType.STATS_RESULT.code());
    assertEquals(26, FrameType.GET_CHUNK.code());
    assertEquals(27, FrameType.CHUNK_DATA.code());
    assertEquals(48, FrameType.PUBLISH_HEAD.code());
    assertEquals(63, FrameType.PLACEMENT_RESULT.code());
    assertEquals(65, FrameType.REPORT_OK.code());
    assertEquals(66, FrameType.PUBLISH_TIMESTAMP.code());
    assertEquals(67, FrameType.TIMESTAMP_OK.code());
    assertEquals(68, FrameType.FORGET_NODE.code());
    assertEquals(69, FrameType.FORGET_OK.code());
    assertEquals(70, FrameType.IDENTIFY.code());
    assertEquals(72, FrameType.RECEIPT.code());
    assertEquals(75, FrameType.LEDGER_RESULT.code());
    assertEquals(4 + 12 + 22 + 6, FrameType.values().length);
  }

  @Test
  void everyCodeIsUniqueAndMapsBack() {
    Set<Integer> seen = new HashSet<>();
    for (FrameType type : FrameType.values()) {
      assertEquals(true, seen.add(type.code()), "duplicate code " + type.code());
      assertSame(type, FrameType.fromCode(type.code()));
    }
  }

  @Test
  void everyOtherCodeIsUnknownType() {
    int unknown = 0;
    for (int code = -1; code <= 256; code++) {
      if (code >= 0 && code < 256 && isDefined(code)) {
        continue;
      }
      int tried = code;
      FrameException e = assertThrows(FrameException.class, () -> FrameType.fromCode(tried));
      assertEquals(ErrorCode.UNKNOWN_TYPE, e.code());
      unknown++;
    }
    assertEquals(258 - FrameType.values().length, unknown);
  }

  private static boolean isDefined(int code) {
    for (FrameType type : FrameType.values()) {
      if (type.code() == code) {
        return true;
      }
    }
    return false;
  }
}
