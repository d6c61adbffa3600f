package dev.cairn.wire.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.ErrorMessage;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.message.BlobMessages.HasBlobs;
import dev.cairn.wire.message.BlobMessages.HasResult;
import io.netty.buffer.ByteBuf;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real server and client on loopback: pairing, errors, and hostile bytes. */
class RpcRoundTripTest {
  private static final Duration TIMEOUT = LoopbackServer.TIMEOUT;

  private LoopbackServer server;

  @BeforeEach
  void start() throws Exception {
    server = new LoopbackServer(RpcRoundTripTest::answer);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Says a blob is held when its first id byte is even; refuses STATS with NOT_FOUND. */
  private static void answer(Frame request, Responder responder) {
    if (request.type() == FrameType.STATS) {
      throw new CairnException(ErrorCode.NOT_FOUND, "no stats here");
    }
    HasBlobs has = HasBlobs.decode(request.payload());
    List<Boolean> held = new ArrayList<>();
    has.ids().forEach(id -> held.add((id.toBytes()[0] & 1) == 0));
    ByteBuf payload = responder.alloc().buffer();
    new HasResult(held).writeTo(payload);
    responder.reply(FrameType.HAS_RESULT, payload);
  }

  private RpcConnection connect() {
    return server.connect();
  }

  @Test
  void manyRequestsInFlightArePairedWithTheirReplies() throws Exception {
    try (RpcConnection connection = connect()) {
      assertEquals(PeerRole.STORAGE_NODE, connection.peer().role());
      List<ContentId> ids = new ArrayList<>();
      List<CompletableFuture<Frame>> replies = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        ContentId id = ContentId.of(("blob" + i).getBytes(StandardCharsets.UTF_8));
        ids.add(id);
        ByteBuf payload = io.netty.buffer.Unpooled.buffer();
        new HasBlobs(List.of(id)).writeTo(payload);
        replies.add(connection.call(FrameType.HAS_BLOBS, payload, TIMEOUT));
      }
      for (int i = 0; i < ids.size(); i++) {
        Frame reply = replies.get(i).get();
        try {
          boolean expected = (ids.get(i).toBytes()[0] & 1) == 0;
          assertEquals(List.of(expected), HasResult.decode(reply.payload()).held());
        } finally {
          reply.release();
        }
      }
      Frame pong = connection.call(FrameType.PING, TIMEOUT).get();
      assertEquals(FrameType.PONG, pong.type());
      pong.release();
    }
  }

  @Test
  void anErrorReplyFailsOnlyItsRequest() throws Exception {
    try (RpcConnection connection = connect()) {
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> connection.call(FrameType.STATS, TIMEOUT).get());
      CairnException error = assertInstanceOf(CairnException.class, failed.getCause());
      assertEquals(ErrorCode.NOT_FOUND, error.code());
      assertTrue(error.getMessage().contains("no stats here"));
      assertTrue(connection.isOpen(), "a failed request keeps the connection");
      Frame pong = connection.call(FrameType.PING, TIMEOUT).get();
      pong.release();
    }
  }

  @Test
  void garbageAndOversizedLengthsCloseThatConnectionOnly() throws Exception {
    for (byte[] hostile : List.of(
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3})) {
      try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(hostile);
        out.flush();
        InputStream in = socket.getInputStream();
        // The server's HELLO, then one ERROR frame naming the problem, then the close.
        ByteBuf received = io.netty.buffer.Unpooled.wrappedBuffer(in.readAllBytes());
        received.skipBytes(4 + received.getInt(0)); // the HELLO frame
        assertEquals(received.readableBytes(), 4 + received.readInt(), "one whole frame left");
        assertEquals(FrameType.ERROR.code(), received.readUnsignedByte());
        assertEquals(0, received.readLong(), "connection errors carry request id 0");
        ErrorCode code = ErrorMessage.decode(received).code();
        assertTrue(code == ErrorCode.FRAME_TOO_LARGE, "named error, got " + code);
      }
    }
    try (RpcConnection connection = connect()) {
      Frame pong = connection.call(FrameType.PING, TIMEOUT).get();
      assertEquals(FrameType.PONG, pong.type());
      pong.release();
    }
  }
}
