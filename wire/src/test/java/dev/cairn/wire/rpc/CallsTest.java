package dev.cairn.wire.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.message.BlobMessages.StatsResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one failure mapping of {@link Calls}: each way a call fails gives the documented code,
 * and every reply frame is released on every path.
 */
class CallsTest {
  private static final Duration TIMEOUT = LoopbackServer.TIMEOUT;

  private LoopbackServer server;

  @BeforeEach
  void start() throws Exception {
    server = new LoopbackServer(CallsTest::answer);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * STATS is answered with the wrong type, HAS_BLOBS with a truncated payload, LIST_BLOBS
   * never, LIST_TABLES with NOT_FOUND; the rest as the protocol says.
   */
  private static void answer(Frame request, Responder responder) {
    switch (request.type()) {
      case STATS -> responder.reply(FrameType.PONG);
      case HAS_BLOBS -> responder.reply(FrameType.HAS_RESULT,
          responder.alloc().buffer().writeByte(1));
      case LIST_BLOBS -> { }
      case LIST_TABLES -> throw new CairnException(ErrorCode.NOT_FOUND, "no tables here");
      default -> throw new CairnException(ErrorCode.UNKNOWN_TYPE, "not served here");
    }
  }

  private RpcConnection connect() {
    return server.connect();
  }

  private static Frame frame(FrameType type) {
    return Frame.of(type, 7, Unpooled.directBuffer().writeBytes(new byte[] {1, 2, 3}));
  }

  @Test
  void aReplyOfTheRightTypeIsDecoded() {
    try (RpcConnection connection = connect()) {
      assertEquals(Boolean.TRUE, Exchanges.PING.call(connection, TIMEOUT));
    }
  }

  @Test
  void anErrorReplyKeepsThePeersCode() {
    try (RpcConnection connection = connect()) {
      CairnException e = assertThrows(CairnException.class,
          () -> Exchanges.LIST_TABLES.call(connection, TIMEOUT));
      assertEquals(ErrorCode.NOT_FOUND, e.code());
      assertTrue(e.getMessage().contains("no tables here"), e.getMessage());
    }
  }

  @Test
  void aReplyOfTheWrongTypeOverTheWireIsBadFrame() {
    try (RpcConnection connection = connect()) {
      CairnException e = assertThrows(CairnException.class,
          () -> Exchanges.STATS.call(connection, TIMEOUT));
      assertEquals(ErrorCode.BAD_FRAME, e.code());
      assertTrue(e.getMessage().contains("STATS_RESULT"), e.getMessage());
      assertTrue(connection.isOpen(), "one wrong reply does not end the connection");
    }
  }

  @Test
  void aTruncatedReplyIsBadFrame() {
    try (RpcConnection connection = connect()) {
      ByteBuf payload = Unpooled.buffer().writeInt(0);
      CairnException e = assertThrows(CairnException.class,
          () -> Exchanges.HAS_BLOBS.call(connection, payload, TIMEOUT));
      assertEquals(ErrorCode.BAD_FRAME, e.code());
    }
  }

  @Test
  void noReplyWithinTheTimeoutIsBusy() {
    try (RpcConnection connection = connect()) {
      CairnException e = assertThrows(CairnException.class,
          () -> Exchanges.LIST_BLOBS.call(connection, Unpooled.buffer().writeZero(36),
              Duration.ofMillis(200)));
      assertEquals(ErrorCode.BUSY, e.code());
    }
  }

  @Test
  void aClosedConnectionIsIoError() {
    RpcConnection connection = connect();
    connection.close();
    CairnException e = assertThrows(CairnException.class,
        () -> Exchanges.PING.call(connection, TIMEOUT));
    assertEquals(ErrorCode.IO_ERROR, e.code());
  }

  @Test
  void anUnreachablePeerIsIoError() throws Exception {
    InetSocketAddress address;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      address = new InetSocketAddress(closed.getInetAddress(), closed.getLocalPort());
    }
    CairnException e = assertThrows(CairnException.class, () -> server.connect(address));
    assertEquals(ErrorCode.IO_ERROR, e.code());
  }

  @Test
  void anInterruptedWaitIsInternalAndKeepsTheFlag() {
    CompletableFuture<Frame> reply = new CompletableFuture<>();
    CompletableFuture<Boolean> decoded = Calls.decode(reply, FrameType.PONG, p -> true);
    Thread.currentThread().interrupt();
    CairnException e = assertThrows(CairnException.class, () -> Calls.await(decoded, TIMEOUT));
    assertTrue(Thread.interrupted(), "the interrupt flag is restored (and cleared here)");
    assertEquals(ErrorCode.INTERNAL, e.code());
    assertTrue(reply.isCancelled(), "the call is given up");
  }

  @Test
  void aDecodedReplyIsReleased() {
    CompletableFuture<Frame> reply = new CompletableFuture<>();
    CompletableFuture<Integer> decoded = Calls.decode(reply, FrameType.PONG,
        ByteBuf::readableBytes);
    Frame frame = frame(FrameType.PONG);
    reply.complete(frame);
    assertEquals(3, decoded.join());
    assertEquals(0, frame.refCnt());
  }

  @Test
  void aReplyOfTheWrongTypeIsBadFrameAndReleased() {
    assertBadFrameAndReleased(FrameType.STATS_RESULT, FrameType.PONG, payload -> 1);
  }

  @Test
  void aReplyTheDecoderCannotReadIsBadFrameAndReleased() {
    assertBadFrameAndReleased(FrameType.STATS_RESULT, FrameType.STATS_RESULT,
        StatsResult::decode);
  }

  @Test
  void aDecoderBugIsBadFrameAndReleased() {
    assertBadFrameAndReleased(FrameType.PONG, FrameType.PONG, payload -> {
      throw new IndexOutOfBoundsException("read past the end");
    });
  }

  /** Completes a call expecting {@code expected} with a {@code sent} frame the decoder fails. */
  private static void assertBadFrameAndReleased(FrameType sent, FrameType expected,
      Function<ByteBuf, ?> decoder) {
    CompletableFuture<Frame> reply = new CompletableFuture<>();
    CompletableFuture<?> decoded = Calls.decode(reply, expected, decoder);
    Frame frame = frame(sent);
    reply.complete(frame);
    assertEquals(ErrorCode.BAD_FRAME,
        assertThrows(CairnException.class, () -> Calls.await(decoded)).code());
    assertEquals(0, frame.refCnt(), "the reply is released");
  }

  @Test
  void aReplyArrivingAfterTheCallerCancelledIsReleasedAndCancelled() {
    CompletableFuture<Frame> reply = new CompletableFuture<>();
    CompletableFuture<Integer> decoded = Calls.decode(reply, FrameType.PONG, p -> 1);
    decoded.cancel(false);
    assertTrue(reply.isCancelled(), "the connection will drop the reply when it comes");
    assertEquals(ErrorCode.INTERNAL,
        assertThrows(CairnException.class, () -> Calls.await(decoded)).code());
    CompletableFuture<Frame> raced = new CompletableFuture<>();
    CompletableFuture<Integer> lost = Calls.decode(raced, FrameType.PONG, p -> 1);
    lost.completeExceptionally(new IllegalStateException("the caller gave up"));
    Frame frame = frame(FrameType.PONG);
    raced.complete(frame);
    assertEquals(0, frame.refCnt(), "a frame nobody waits for is released");
    assertFalse(lost.isCancelled());
  }
}
