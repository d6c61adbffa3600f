package dev.cairn.wire.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Goal (issue 15, SIGTERM): a server stopping with a grace lets a request already running
 * finish and deliver its reply, answers a request that arrives meanwhile with BUSY, and
 * accepts no new connection; with no grace left it reports the request it cut off.
 */
class GracefulCloseTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @Test
  void aRunningRequestFinishesWhileNewOnesGetBusy() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RequestHandler slow = (request, responder) -> {
      if (request.type() == FrameType.STATS) {
        entered.countDown();
        awaitQuietly(release);
      }
      responder.reply(FrameType.STATS_RESULT);
    };
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    RpcServer server = RpcServer.start("127.0.0.1", 0, new Hello(PeerRole.STORAGE_NODE, null),
        slow, RpcServer.Options.defaults());
    // Requests on one connection run in order, so the probe uses a second one, opened first
    // because a closing server accepts no connection.
    try (RpcConnection connection = RpcConnection.connect(group, server.address(),
        new Hello(PeerRole.CLIENT, null), TIMEOUT);
        RpcConnection probe = RpcConnection.connect(group, server.address(),
            new Hello(PeerRole.CLIENT, null), TIMEOUT)) {
      CompletableFuture<Frame> running = connection.call(FrameType.STATS, TIMEOUT);
      assertTrue(entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the request runs");
      CompletableFuture<Integer> closing = CompletableFuture.supplyAsync(
          () -> server.close(TIMEOUT));
      // Sent while the server drains: refused with BUSY rather than cut off.
      CairnException refused = awaitBusy(probe);
      assertEquals(ErrorCode.BUSY, refused.code(), refused.getMessage());
      release.countDown();
      Frame reply = running.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(FrameType.STATS_RESULT, reply.type());
      reply.release();
      assertEquals(0, closing.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS),
          "nothing was cut off");
    } finally {
      release.countDown();
      server.close();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void aRequestOutlastingTheGraceIsCountedAsCutOff() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RequestHandler stuck = (request, responder) -> {
      entered.countDown();
      awaitQuietly(release);
      responder.reply(FrameType.STATS_RESULT);
    };
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    RpcServer server = RpcServer.start("127.0.0.1", 0, new Hello(PeerRole.STORAGE_NODE, null),
        stuck, RpcServer.Options.defaults());
    try (RpcConnection connection = RpcConnection.connect(group, server.address(),
        new Hello(PeerRole.CLIENT, null), TIMEOUT)) {
      CompletableFuture<Frame> running = connection.call(FrameType.STATS, TIMEOUT);
      assertTrue(entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the request runs");
      CompletableFuture<Integer> closing = CompletableFuture.supplyAsync(
          () -> server.close(Duration.ofMillis(200)));
      // Once the grace has passed the server closes the connection under the stuck request;
      // only then may the handler finish, so that the server's worker threads can stop.
      ExecutionException cut = assertThrows(ExecutionException.class,
          () -> running.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      assertTrue(cut.getCause() instanceof CairnException, String.valueOf(cut.getCause()));
      release.countDown();
      assertEquals(1, closing.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    } finally {
      release.countDown();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** Sends HAS_BLOBS until the draining server answers BUSY (bounded by the call timeout). */
  private static CairnException awaitBusy(RpcConnection connection) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      try {
        Frame frame = connection.call(FrameType.HAS_BLOBS, TIMEOUT).get();
        frame.release();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof CairnException cairn) {
          return cairn;
        }
        throw e;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no BUSY while the server drained");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
