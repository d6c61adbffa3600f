package dev.cairn.wire.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HelloTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] key() {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (0xa0 + i);
    }
    return key;
  }

  private static ErrorCode decodeFailure(String hex) {
    return assertThrows(CairnException.class,
        () -> Hello.decode(Unpooled.wrappedBuffer(HEX.parseHex(hex)))).code();
  }

  @ParameterizedTest
  @EnumSource(PeerRole.class)
  void roundTripsWithAndWithoutKeyForEveryRole(PeerRole role) {
    for (Hello hello : new Hello[] {new Hello(role, null), new Hello(role, key())}) {
      Frame frame = hello.toFrame(ByteBufAllocator.DEFAULT);
      assertEquals(FrameType.HELLO, frame.type());
      assertEquals(0, frame.requestId());
      assertEquals(hello.hasKey() ? 42 : 10, frame.payloadBytes());
      Hello decoded = Hello.decode(frame.payload());
      assertEquals(hello, decoded);
      assertEquals(role, decoded.role());
      assertFalse(frame.payload().isReadable(), "decode consumes the payload");
      frame.release();
    }
  }

  @Test
  void layoutIsMagicVersionRoleFlagKey() {
    ByteBuf buffer = Unpooled.buffer();
    new Hello(PeerRole.STORAGE_NODE, key()).writeTo(buffer);
    String expected = "434149524e00" + "0001" + "02" + "01" + HEX.formatHex(key());
    assertEquals(expected, HEX.formatHex(buffer.array(), 0, buffer.readableBytes()));
    assertArrayEquals("CAIRN\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        Hello.magic());
  }

  @Test
  void keyIsCopiedInAndOut() {
    byte[] key = key();
    Hello hello = new Hello(PeerRole.CLIENT, key);
    key[0] = 0;
    assertEquals((byte) 0xa0, hello.nodeKey()[0]);
    assertNotSame(hello.nodeKey(), hello.nodeKey());
    assertNull(new Hello(PeerRole.CLIENT, null).nodeKey());
    assertEquals(ErrorCode.BAD_FORMAT, assertThrows(CairnException.class,
        () -> new Hello(PeerRole.CLIENT, new byte[31])).code());
  }

  @Test
  void strictDecoding() {
    assertEquals(ErrorCode.VERSION_MISMATCH, decodeFailure("434149524e01000101" + "00"));
    assertEquals(ErrorCode.VERSION_MISMATCH, decodeFailure("504f5354202f" + "0001" + "0100"));
    assertEquals(ErrorCode.VERSION_MISMATCH, decodeFailure("434149524e00" + "0002" + "0100"));
    assertEquals(ErrorCode.VERSION_MISMATCH, decodeFailure("434149524e00" + "0000" + "0100"));
    assertEquals(ErrorCode.BAD_FRAME, decodeFailure("434149524e00" + "0001" + "0400"));
    assertEquals(ErrorCode.BAD_FRAME, decodeFailure("434149524e00" + "0001" + "0000"));
    assertEquals(ErrorCode.BAD_FRAME, decodeFailure("434149524e00" + "0001" + "0102"));
    assertEquals(ErrorCode.BAD_FRAME, decodeFailure("434149524e00" + "0001" + "01"));
    assertEquals(ErrorCode.BAD_FRAME, decodeFailure("434149524e00" + "0001" + "0100" + "00"));
    assertEquals(ErrorCode.BAD_FRAME, decodeFailure("434149524e00" + "0001" + "0101" + "00"));
    assertEquals(ErrorCode.BAD_FRAME, decodeFailure("4341"));
    assertEquals(ErrorCode.BAD_FRAME, decodeFailure(""));
  }

  @Test
  void checkPeerAcceptsAHelloAndLeavesTheFrameAlone() {
    Frame frame = new Hello(PeerRole.METADATA_SERVICE, key()).toFrame(ByteBufAllocator.DEFAULT);
    Hello peer = Hello.checkPeer(frame);
    assertEquals(PeerRole.METADATA_SERVICE, peer.role());
    assertTrue(peer.hasKey());
    assertEquals(42, frame.payloadBytes(), "reader index untouched");
    assertEquals(1, frame.refCnt(), "still owned by the caller");
    frame.release();
  }

  @Test
  void checkPeerRefusesAnythingButAHelloWithRequestIdZero() {
    CairnException notHello = assertThrows(CairnException.class,
        () -> Hello.checkPeer(Frame.empty(FrameType.PING, 0)));
    assertEquals(ErrorCode.VERSION_MISMATCH, notHello.code());
    assertEquals("VERSION_MISMATCH: first frame must be HELLO, got PING", notHello.getMessage());

    ByteBuf payload = Unpooled.buffer();
    new Hello(PeerRole.CLIENT, null).writeTo(payload);
    Frame withId = Frame.of(FrameType.HELLO, 5, payload);
    assertEquals(ErrorCode.VERSION_MISMATCH,
        assertThrows(CairnException.class, () -> Hello.checkPeer(withId)).code());

    Frame wrongVersion = Frame.of(FrameType.HELLO, 0,
        Unpooled.wrappedBuffer(HEX.parseHex("434149524e00" + "0007" + "0100")));
    CairnException e = assertThrows(CairnException.class, () -> Hello.checkPeer(wrongVersion));
    assertEquals("VERSION_MISMATCH: peer speaks protocol version 7, this side speaks 1",
        e.getMessage());
  }
}
