package dev.cairn.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Reply decoding releases every frame, whoever stopped waiting for it. */
class CallsTest {
  private static Frame frame(FrameType type) {
    return Frame.of(type, 7, Unpooled.directBuffer().writeBytes(new byte[] {1, 2, 3}));
  }

  @Test
  void aDecodedReplyIsReleased() {
    CompletableFuture<Frame> reply = new CompletableFuture<>();
    CompletableFuture<Integer> decoded = Calls.decode(reply, FrameType.PONG,
        f -> f.payload().readableBytes());
    Frame frame = frame(FrameType.PONG);
    reply.complete(frame);
    assertEquals(3, decoded.join());
    assertEquals(0, frame.refCnt());
  }

  @Test
  void aReplyOfTheWrongTypeIsBadFrameAndReleased() {
    CompletableFuture<Frame> reply = new CompletableFuture<>();
    CompletableFuture<Integer> decoded = Calls.decode(reply, FrameType.PONG, f -> 1);
    Frame frame = frame(FrameType.STATS_RESULT);
    reply.complete(frame);
    CairnException e = assertThrows(CairnException.class, () -> Calls.await(decoded));
    assertEquals(ErrorCode.BAD_FRAME, e.code());
    assertEquals(0, frame.refCnt());
  }

  @Test
  void aReplyArrivingAfterTheCallerCancelledIsReleasedAndCancelled() {
    CompletableFuture<Frame> reply = new CompletableFuture<>();
    CompletableFuture<Integer> decoded = Calls.decode(reply, FrameType.PONG, f -> 1);
    decoded.cancel(false);
    assertTrue(reply.isCancelled(), "the connection will drop the reply when it comes");
    CompletableFuture<Frame> raced = new CompletableFuture<>();
    CompletableFuture<Integer> lost = Calls.decode(raced, FrameType.PONG, f -> 1);
    lost.completeExceptionally(new IllegalStateException("the caller gave up"));
    Frame frame = frame(FrameType.PONG);
    raced.complete(frame);
    assertEquals(0, frame.refCnt(), "a frame nobody waits for is released");
  }
}
