package dev.cairn.wire.frame;

import static dev.cairn.wire.frame.FrameChannels.encode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.GoldenVectors;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * Decodes each frame vector of docs/protocol.md section 6 through the real decoder, checks the
 * fields the document states beside it, and encodes the same fields back to the same bytes.
 */
class FrameGoldenVectorsTest {
  /** Decodes exactly one frame from {@code bytes}; the caller releases it. */
  private static Frame decodeOne(byte[] bytes) {
    EmbeddedChannel channel = FrameChannels.decoding();
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    Frame frame = channel.readInbound();
    assertNull(channel.readInbound(), "one frame per vector");
    assertFalse(channel.finish(), "no bytes left over");
    return frame;
  }

  @Test
  void ping() {
    byte[] golden = GoldenVectors.hex("frame-ping");
    Frame frame = decodeOne(golden);
    assertEquals(FrameType.PING, frame.type());
    assertEquals(0x0102030405060708L, frame.requestId());
    assertEquals(0, frame.payloadBytes());
    frame.release();
    assertArrayEquals(golden, encode(Frame.empty(FrameType.PING, 0x0102030405060708L)));
  }

  @Test
  void helloClient() {
    byte[] golden = GoldenVectors.hex("frame-hello-client");
    Frame frame = decodeOne(golden);
    Hello hello = Hello.checkPeer(frame);
    assertEquals(PeerRole.CLIENT, hello.role());
    assertFalse(hello.hasKey());
    frame.release();
    assertArrayEquals(golden,
        encode(new Hello(PeerRole.CLIENT, null).toFrame(ByteBufAllocator.DEFAULT)));
  }

  @Test
  void helloStorageNode() {
    byte[] golden = GoldenVectors.hex("frame-hello-storage-node");
    byte[] key = new byte[Hello.NODE_KEY_BYTES];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) i;
    }
    Frame frame = decodeOne(golden);
    Hello hello = Hello.checkPeer(frame);
    assertEquals(PeerRole.STORAGE_NODE, hello.role());
    assertArrayEquals(key, hello.nodeKey());
    frame.release();
    assertArrayEquals(golden,
        encode(new Hello(PeerRole.STORAGE_NODE, key).toFrame(ByteBufAllocator.DEFAULT)));
  }

  @Test
  void errorNotFound() {
    byte[] golden = GoldenVectors.hex("frame-error-not-found");
    Frame frame = decodeOne(golden);
    assertEquals(FrameType.ERROR, frame.type());
    assertEquals(42, frame.requestId());
    ErrorMessage error = ErrorMessage.decode(frame.payload());
    assertEquals(ErrorCode.NOT_FOUND, error.code());
    assertEquals("blob abc", error.message());
    assertEquals("NOT_FOUND: blob abc", error.toException().getMessage());
    frame.release();
    assertArrayEquals(golden, encode(new ErrorMessage(ErrorCode.NOT_FOUND, "blob abc")
        .toFrame(42, ByteBufAllocator.DEFAULT)));
  }

  @Test
  void errorBusyWithRetryHint() {
    byte[] golden = GoldenVectors.hex("frame-error-busy-retry");
    Frame frame = decodeOne(golden);
    ErrorMessage error = ErrorMessage.decode(frame.payload());
    assertEquals(ErrorCode.BUSY, error.code());
    assertEquals(2_000, error.retryAfterMillis());
    frame.release();
    assertArrayEquals(golden, encode(ErrorMessage.busy("full", 2_000)
        .toFrame(0, ByteBufAllocator.DEFAULT)));
  }
}
