package dev.cairn.wire.rpc;

import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real {@link RpcServer} on loopback, answering with a test's handler, and its clients. */
final class LoopbackServer implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final RpcServer server;

  LoopbackServer(RequestHandler handler) throws InterruptedException {
    server = RpcServer.start("127.0.0.1", 0, new Hello(PeerRole.STORAGE_NODE, null), handler,
        RpcServer.Options.defaults());
  }

  InetSocketAddress address() {
    return server.address();
  }

  /** Connects a client that says it is a CLIENT. */
  RpcConnection connect() {
    return connect(server.address());
  }

  /** Connects a client to {@code address} on this server's client event loop. */
  RpcConnection connect(InetSocketAddress address) {
    return RpcConnection.connect(group, address, new Hello(PeerRole.CLIENT, null), TIMEOUT);
  }

  @Override
  public void close() {
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
