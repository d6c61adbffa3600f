package dev.cairn.wire.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorMessageTest {
  private static final HexFormat HEX = HexFormat.of();

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void everyCodeRoundTrips(ErrorCode code) {
    ErrorMessage error = new ErrorMessage(code, "detail for " + code + " \u2713");
    Frame frame = error.toFrame(99, ByteBufAllocator.DEFAULT);
    assertEquals(FrameType.ERROR, frame.type());
    assertEquals(99, frame.requestId());
    assertEquals(error, ErrorMessage.decode(frame.payload()));
    frame.release();
  }

  @Test
  void layoutAndException() {
    ByteBuf buffer = Unpooled.buffer();
    new ErrorMessage(ErrorCode.NOT_FOUND, "blob abc").writeTo(buffer);
    assertEquals("000c" + "0008" + "626c6f6220616263",
        HEX.formatHex(buffer.array(), 0, buffer.readableBytes()));
    CairnException e = ErrorMessage.decode(buffer).toException();
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertEquals("NOT_FOUND: blob abc", e.getMessage());
  }

  @Test
  void ofTakesTheDetailWithoutTheCodeName() {
    ErrorMessage error = ErrorMessage.of(new CairnException(ErrorCode.BUSY, "try later"));
    assertEquals(new ErrorMessage(ErrorCode.BUSY, "try later"), error);
  }

  @Test
  void busyCarriesItsRetryHintAcrossTheWire() {
    ErrorMessage busy = ErrorMessage.busy("full", 2_000);
    ByteBuf payload = Unpooled.buffer();
    busy.writeTo(payload);
    assertEquals("000f" + "0004" + "66756c6c" + "000007d0",
        HEX.formatHex(io.netty.buffer.ByteBufUtil.getBytes(payload)));
    ErrorMessage decoded = ErrorMessage.decode(payload);
    assertEquals(busy, decoded);
    dev.cairn.wire.BusyException thrown =
        (dev.cairn.wire.BusyException) decoded.toException();
    assertEquals(2_000, thrown.retryAfterMillis());
    assertEquals(busy, ErrorMessage.of(thrown), "a BUSY with a hint is relayed with it");
  }

  @Test
  void onlyBusyMayCarryTrailingHintBytes() {
    ByteBuf payload = Unpooled.wrappedBuffer(HEX.parseHex("000c" + "0001" + "78" + "000007d0"));
    assertEquals(ErrorCode.BAD_FRAME, org.junit.jupiter.api.Assertions.assertThrows(
        CairnException.class, () -> ErrorMessage.decode(payload)).code());
  }

  @Test
  void unknownCodeFromANewerPeerBecomesInternal() {
    ByteBuf payload = Unpooled.wrappedBuffer(HEX.parseHex("0400" + "0001" + "78"));
    assertEquals(new ErrorMessage(ErrorCode.INTERNAL, "x"), ErrorMessage.decode(payload));
  }

  @Test
  void strictDecoding() {
    for (String hex : new String[] {"", "000c", "000c00", "000c000261", "000c0000ff",
        "000c0001ff", "000c1001" + "61".repeat(4097)}) {
      CairnException e = assertThrows(CairnException.class,
          () -> ErrorMessage.decode(Unpooled.wrappedBuffer(HEX.parseHex(hex))), hex);
      assertEquals(ErrorCode.BAD_FRAME, e.code(), hex);
    }
  }

  @Test
  void messageAtTheLimitTravelsAndOneMoreByteIsRefused() {
    String limit = "a".repeat(ErrorMessage.MESSAGE_BYTES_MAX);
    Frame frame = new ErrorMessage(ErrorCode.IO_ERROR, limit).toFrame(1, ByteBufAllocator.DEFAULT);
    assertEquals(limit, ErrorMessage.decode(frame.payload()).message());
    frame.release();
    CairnException e = assertThrows(CairnException.class,
        () -> new ErrorMessage(ErrorCode.IO_ERROR, limit + "a"));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
  }

  @Test
  void truncatingCutsAtACharacterBoundaryAndRepairsSurrogates() {
    String euros = "\u20ac".repeat(2000);
    ErrorMessage cut = ErrorMessage.truncating(ErrorCode.INTERNAL, euros);
    assertEquals(1365, cut.message().length(), "1365 three-byte characters fit in 4096");
    assertTrue(cut.message().getBytes(StandardCharsets.UTF_8).length <= 4096);
    ErrorMessage repaired = ErrorMessage.truncating(ErrorCode.INTERNAL, "a\uD800b\uD83D\uDE00");
    assertEquals("a\uFFFDb\uD83D\uDE00", repaired.message());
    assertFalse(ErrorMessage.truncating(ErrorCode.INTERNAL, "short").message().isEmpty());
  }
}
