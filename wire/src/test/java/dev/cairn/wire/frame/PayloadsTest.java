package dev.cairn.wire.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadsTest {
  private static ByteBuf hex(String hex) {
    return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
  }

  @Test
  void stringRoundTripsIncludingNonAscii() {
    ByteBuf buffer = Unpooled.buffer();
    Payloads.writeString(buffer, "gr\u00fc\u00dfe \uD83D\uDE00", 64);
    assertEquals(2 + 12, buffer.readableBytes());
    assertEquals("gr\u00fc\u00dfe \uD83D\uDE00", Payloads.readString(buffer, 64));
    assertFalse(buffer.isReadable());
  }

  @Test
  void stringLayoutIsU16LengthThenUtf8() {
    ByteBuf buffer = Unpooled.buffer();
    Payloads.writeString(buffer, "abc", 3);
    assertEquals("0003616263", HexFormat.of().formatHex(buffer.array(), 0, 5));
  }

  @Test
  void stringOverTheLimitIsRefusedBeforeReading() {
    ByteBuf buffer = hex("0003616263");
    CairnException e = assertThrows(CairnException.class,
        () -> Payloads.readString(buffer, 2, "name"));
    assertEquals(ErrorCode.BAD_FRAME, e.code());
    assertEquals("BAD_FRAME: name is 3 bytes, the maximum is 2", e.getMessage());
  }

  @Test
  void stringLongerThanTheRemainingBytesIsRefused() {
    ByteBuf buffer = hex("ffff6162");
    CairnException e = assertThrows(CairnException.class,
        () -> Payloads.readString(buffer, 65535));
    assertEquals(ErrorCode.BAD_FRAME, e.code());
    assertTrue(e.getMessage().contains("needs 65535 bytes, 2 left"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0001ff", "0002c0af", "0003eda080", "0001 80", "0004f4908080", "0001c3"})
  void invalidUtf8IsRefused(String hex) {
    CairnException e = assertThrows(CairnException.class,
        () -> Payloads.readString(hex(hex.replace(" ", "")), 16));
    assertEquals(ErrorCode.BAD_FRAME, e.code());
  }

  @Test
  void unpairedSurrogateCannotBeWritten() {
    CairnException e = assertThrows(CairnException.class,
        () -> Payloads.writeString(Unpooled.buffer(), "a\uD800b", 16));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
  }

  @Test
  void tooLongStringCannotBeWritten() {
    CairnException e = assertThrows(CairnException.class,
        () -> Payloads.writeString(Unpooled.buffer(), "\u00e9\u00e9", 3));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
  }

  @Test
  void booleanIsStrictlyZeroOrOne() {
    assertFalse(Payloads.readBoolean(hex("00"), "flag"));
    assertTrue(Payloads.readBoolean(hex("01"), "flag"));
    CairnException e = assertThrows(CairnException.class,
        () -> Payloads.readBoolean(hex("02"), "flag"));
    assertEquals("BAD_FRAME: flag must be 0 or 1, got 2", e.getMessage());
  }

  @Test
  void integersAreBigEndianAndBoundsChecked() {
    ByteBuf buffer = hex("fe" + "1234" + "ffffffffffffffff");
    assertEquals(0xfe, Payloads.readU8(buffer, "a"));
    assertEquals(0x1234, Payloads.readU16(buffer, "b"));
    assertEquals(-1L, Payloads.readU64(buffer, "c"));
    assertEquals(ErrorCode.BAD_FRAME,
        assertThrows(CairnException.class, () -> Payloads.readU8(buffer, "d")).code());
    assertEquals(ErrorCode.BAD_FRAME,
        assertThrows(CairnException.class, () -> Payloads.readU16(hex("01"), "e")).code());
    assertEquals(ErrorCode.BAD_FRAME,
        assertThrows(CairnException.class, () -> Payloads.readU64(hex("0102"), "f")).code());
  }

  @Test
  void trailingBytesAreRefused() {
    Payloads.requireFullyRead(Unpooled.EMPTY_BUFFER, "x");
    CairnException e = assertThrows(CairnException.class,
        () -> Payloads.requireFullyRead(hex("0000"), "X payload"));
    assertEquals("BAD_FRAME: X payload has 2 trailing bytes", e.getMessage());
  }
}
