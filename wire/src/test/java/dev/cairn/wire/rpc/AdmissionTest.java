package dev.cairn.wire.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.BusyException;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Goal: the server's admission rules, each seen from a real client: a per-address limit
 * answered with BUSY and a retry hint, idle sockets that made no request closed to make room
 * for one that asks, and the handshake deadline for a connection that never asks.
 */
class AdmissionTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final List<RpcConnection> connections = new ArrayList<>();
  private RpcServer server;

  @AfterEach
  void stop() {
    connections.forEach(RpcConnection::close);
    if (server != null) {
      server.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private void start(RpcServer.Options options) throws InterruptedException {
    server = RpcServer.start("127.0.0.1", 0, new Hello(PeerRole.STORAGE_NODE, null),
        (request, responder) -> {
          throw new CairnException(ErrorCode.UNKNOWN_TYPE, "PING only");
        }, options);
  }

  private RpcConnection connect() {
    RpcConnection connection = RpcConnection.connect(group, server.address(),
        new Hello(PeerRole.CLIENT, null), TIMEOUT);
    connections.add(connection);
    return connection;
  }

  /** Polls {@code condition} every 10 ms, at most 1,000 times (10 s); fails if never true. */
  private static void awaitTrue(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    for (int i = 0; i < 1_000; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("condition not met within 10 s");
  }

  @Test
  void pastThePerAddressLimitAConnectionIsToldBusyWithARetryHint() throws Exception {
    start(RpcServer.Options.defaults().withConnections(100, 2));
    connect();
    connect();
    CairnException refused = assertThrows(CairnException.class, this::connect);
    BusyException busy = assertInstanceOf(BusyException.class, refused, refused.getMessage());
    assertEquals(ConnectionLimitHandler.RETRY_AFTER_MILLIS, busy.retryAfterMillis());
    assertTrue(refused.getMessage().contains("per client address"), refused.getMessage());
    assertEquals(1, server.refusedConnections());
  }

  @Test
  void whenFullAnIdleSocketMakesRoomForOneThatAsks() throws Exception {
    start(RpcServer.Options.defaults().withConnections(2, 100));
    RpcConnection idle = connect();
    RpcConnection working = connect();
    Exchanges.PING.call(working, TIMEOUT);
    RpcConnection newcomer = connect();
    Exchanges.PING.call(newcomer, TIMEOUT);
    awaitTrue(() -> !idle.isOpen());
    assertTrue(working.isOpen(), "a connection that made requests is never evicted");
    assertEquals(1, server.evictedConnections());
    // Now every slot is used: a further newcomer is refused, nobody is evicted.
    CairnException refused = assertThrows(CairnException.class, this::connect);
    assertEquals(ErrorCode.BUSY, refused.code());
    assertEquals(1, server.evictedConnections());
  }

  @Test
  void aConnectionThatNeverAsksIsClosedAfterTheHandshakeDeadline() throws Exception {
    start(RpcServer.Options.defaults().withHandshakeMillis(2_000));
    RpcConnection silent = connect();
    awaitTrue(() -> !silent.isOpen());
    RpcConnection asking = connect();
    Exchanges.PING.call(asking, TIMEOUT);
    assertTrue(asking.isOpen());
  }

  /** `cairn demo -e` printed Netty RejectedExecutionException traces when its cluster closed. */
  @Test
  void closingWithConnectionsOpenLogsNoRejectedExecution() throws Exception {
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    List<String> rejected = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler handler = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
          if (t instanceof java.util.concurrent.RejectedExecutionException) {
            rejected.add(record.getMessage());
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    root.addHandler(handler);
    try {
      for (int round = 0; round < 3; round++) {
        start(RpcServer.Options.defaults());
        for (int i = 0; i < 20; i++) {
          Exchanges.PING.call(connect(), TIMEOUT);
        }
        server.close();
        server = null;
        connections.forEach(RpcConnection::close);
        connections.clear();
      }
      Thread.sleep(200); // a late event would be logged by now
      assertEquals(List.of(), rejected);
    } finally {
      root.removeHandler(handler);
    }
  }
}
