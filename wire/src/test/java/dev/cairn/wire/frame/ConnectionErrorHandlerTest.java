package dev.cairn.wire.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionErrorHandlerTest {
  private static EmbeddedChannel pipeline() {
    EmbeddedChannel channel = new EmbeddedChannel();
    Frames.addCodec(channel.pipeline());
    channel.pipeline().addLast(new ConnectionErrorHandler());
    return channel;
  }

  /** Decodes what the channel wrote with a fresh decoder. */
  private static List<Frame> written(EmbeddedChannel channel) {
    EmbeddedChannel peer = FrameChannels.decoding();
    for (Object out; (out = channel.readOutbound()) != null; ) {
      peer.writeInbound(out);
    }
    List<Frame> frames = FrameChannels.drain(peer);
    assertFalse(peer.finish());
    return frames;
  }

  @Test
  void oversizeLengthIsAnsweredWithErrorFrameZeroAndClose() {
    EmbeddedChannel channel = pipeline();
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {-1, -1, -1, -1, 1, 2, 3}));
    List<Frame> frames = written(channel);
    assertEquals(1, frames.size());
    Frame frame = frames.get(0);
    assertEquals(FrameType.ERROR, frame.type());
    assertEquals(0, frame.requestId());
    ErrorMessage error = ErrorMessage.decode(frame.payload());
    assertEquals(ErrorCode.FRAME_TOO_LARGE, error.code());
    assertEquals("frame length 4294967295 exceeds the maximum 33558528", error.message());
    frame.release();
    assertFalse(channel.isOpen(), "the connection is closed after the error");
  }

  @Test
  void onlyTheFirstErrorIsReported() {
    EmbeddedChannel channel = pipeline();
    channel.pipeline().fireExceptionCaught(new CairnException(ErrorCode.BAD_HASH, "first"));
    channel.pipeline().fireExceptionCaught(new CairnException(ErrorCode.BUSY, "second"));
    List<Frame> frames = written(channel);
    assertEquals(1, frames.size());
    assertEquals(new ErrorMessage(ErrorCode.BAD_HASH, "first"),
        ErrorMessage.decode(frames.get(0).payload()));
    frames.forEach(Frame::release);
  }

  @Test
  void unexpectedExceptionsAreInternalWithoutTheirText() {
    ErrorMessage error = ConnectionErrorHandler.toErrorMessage(
        new IllegalStateException("secret path /home/x"));
    assertEquals(ErrorCode.INTERNAL, error.code());
    assertEquals("unexpected IllegalStateException", error.message());
    assertTrue(ConnectionErrorHandler.toErrorMessage(new RuntimeException(
        new CairnException(ErrorCode.NOT_FOUND, "x"))).code() == ErrorCode.NOT_FOUND);
  }

  @Test
  void truncationAtCloseIsNotWrittenToAClosedChannel() {
    EmbeddedChannel channel = pipeline();
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0}));
    channel.close();
    assertNull(channel.readOutbound(), "nothing can be sent once the peer has gone");
    List<Object> leftovers = new ArrayList<>();
    for (Object in; (in = channel.readInbound()) != null; ) {
      leftovers.add(in);
    }
    assertTrue(leftovers.isEmpty());
  }
}
