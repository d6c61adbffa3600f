package dev.cairn.wire.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.message.BlobMessages;
import dev.cairn.wire.message.BlobMessages.BlobData;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A holder on loopback that serves one blob honestly or with one lie; both ways of driving
 * the read return the bytes only when they are the blob's, and name each lie.
 */
class VerifiedBlobReadTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int RANGE_BYTES = 7_000;

  /** How the holder answers GET_BLOB. */
  private enum Mode { HONEST, OTHER_SIZE, SHORT_RANGE, FLIPPED_BYTE }

  private final byte[] blob = new byte[50_000];
  private ContentId id;
  private volatile Mode mode = Mode.HONEST;
  private EventLoopGroup group;
  private RpcServer server;
  private RpcConnection connection;
  private ExecutorService workers;

  @BeforeEach
  void start() throws Exception {
    new Random(7).nextBytes(blob);
    id = ContentId.of(blob);
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = Executors.newFixedThreadPool(2);
    server = RpcServer.start("127.0.0.1", 0, new Hello(PeerRole.STORAGE_NODE, null),
        this::serve, RpcServer.Options.defaults());
    connection = RpcConnection.connect(group, server.address(),
        new Hello(PeerRole.CLIENT, null), TIMEOUT);
  }

  @AfterEach
  void stop() {
    connection.close();
    server.close();
    workers.shutdownNow();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private void serve(Frame request, Responder responder) {
    GetBlob get = GetBlob.decode(request.payload());
    int from = (int) Math.min(get.offset(), blob.length);
    int to = get.length() == 0 ? blob.length
        : (int) Math.min(blob.length, from + get.length());
    if (mode == Mode.SHORT_RANGE && to - from > 1) {
      to--;
    }
    long announced = mode == Mode.OTHER_SIZE ? blob.length + 1 : blob.length;
    ByteBuf payload = responder.alloc().buffer(BlobData.PREFIX_BYTES + to - from);
    payload.writeLong(announced).writeBytes(blob, from, to - from);
    if (mode == Mode.FLIPPED_BYTE && to > from) {
      int at = BlobData.PREFIX_BYTES;
      payload.setByte(at, payload.getByte(at) ^ 0x5a);
    }
    responder.reply(FrameType.BLOB_DATA, payload);
  }

  private VerifiedBlobRead read() {
    return new VerifiedBlobRead(this::range, "test holder", id, blob.length, RANGE_BYTES);
  }

  private java.util.concurrent.CompletableFuture<BlobMessages.BlobRange> range(ContentId blobId,
      long offset, long length) {
    ByteBuf payload = Unpooled.buffer();
    new GetBlob(blobId, offset, length).writeTo(payload);
    return Exchanges.GET_BLOB.send(connection, payload, TIMEOUT);
  }

  private byte[] readAsync(VerifiedBlobRead read) {
    read.start(workers);
    return Calls.await(read.result(), TIMEOUT);
  }

  @Test
  void anHonestHolderIsReadInRangesThroughTheGateBothWays() throws Exception {
    List<Integer> gated = new ArrayList<>();
    assertArrayEquals(blob, read().read(gated::add));
    assertEquals(List.of(7_000, 7_000, 7_000, 7_000, 7_000, 7_000, 7_000, 1_000), gated);
    assertArrayEquals(blob, readAsync(read()));
  }

  @Test
  void anEmptyBlobIsReadWithOneRequest() throws Exception {
    mode = Mode.HONEST;
    byte[] empty = new byte[0];
    VerifiedBlobRead read = new VerifiedBlobRead((blobId, offset, length) -> {
      assertEquals(0, length, "an empty blob is asked for to the end");
      return java.util.concurrent.CompletableFuture.completedFuture(
          new BlobMessages.BlobRange(0, empty));
    }, "empty holder", ContentId.of(empty), 0, RANGE_BYTES);
    assertArrayEquals(empty, read.read(VerifiedBlobRead.RangeGate.OPEN));
  }

  @Test
  void eachLieHasItsNameAndCountsAsALie() throws Exception {
    for (Mode lie : List.of(Mode.OTHER_SIZE, Mode.SHORT_RANGE, Mode.FLIPPED_BYTE)) {
      mode = lie;
      ErrorCode expected = switch (lie) {
        case SHORT_RANGE -> ErrorCode.BAD_FRAME;
        case OTHER_SIZE, FLIPPED_BYTE, HONEST -> ErrorCode.BAD_HASH;
      };
      CairnException blocking = assertThrows(CairnException.class,
          () -> read().read(VerifiedBlobRead.RangeGate.OPEN));
      assertEquals(expected, blocking.code(), lie + ": " + blocking.getMessage());
      assertTrue(blocking.getMessage().contains("test holder"), blocking.getMessage());
      assertTrue(VerifiedBlobRead.isLie(blocking.code()));
      CairnException async = assertThrows(CairnException.class, () -> readAsync(read()));
      assertEquals(expected, async.code(), lie + " read asynchronously");
    }
  }

  @Test
  void aSizeNoBlobMayHaveIsRefusedBeforeAsking() {
    CairnException e = assertThrows(CairnException.class, () -> new VerifiedBlobRead(
        (blobId, offset, length) -> {
          throw new AssertionError("nothing may be asked");
        }, "h", id, BlobMessages.BLOB_BYTES_MAX + 1L, RANGE_BYTES));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
    assertTrue(!VerifiedBlobRead.isLie(e.code()), "a manifest's size is no holder's lie");
  }

  @Test
  void theHoldersErrorIsPassedOnAndIsNoLie() {
    ContentId missing = ContentId.of(new byte[] {1});
    VerifiedBlobRead read = new VerifiedBlobRead((blobId, offset, length) ->
        java.util.concurrent.CompletableFuture.failedFuture(
            new CairnException(ErrorCode.NOT_FOUND, "not here")), "h", missing, 1, RANGE_BYTES);
    read.start(workers);
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> read.result().get(10, TimeUnit.SECONDS));
    CairnException cause = (CairnException) e.getCause();
    assertEquals(ErrorCode.NOT_FOUND, cause.code());
    assertTrue(!VerifiedBlobRead.isLie(cause.code()));
  }
}
