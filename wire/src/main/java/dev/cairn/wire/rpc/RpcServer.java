package dev.cairn.wire.rpc;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.frame.ConnectionErrorHandler;
import dev.cairn.wire.frame.Frames;
import dev.cairn.wire.frame.Hello;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.traffic.GlobalTrafficShapingHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Cairn protocol server: accepts connections, frames them, checks the handshake, and hands
 * requests to a {@link RequestHandler} on worker threads.
 *
 * <p>Admission ({@link ConnectionLimitHandler}): a per-address and a total connection limit,
 * idle sockets that made no request closed to make room, BUSY with a retry hint for the
 * refused, and a handshake deadline for the first request ({@link ServerDispatchHandler}).
 *
 * <p>Pipeline, in order: connection limit, traffic shaping (when limits are set; shared by all
 * connections, so the limit is the server's, not each connection's), idle timeout, frame
 * decoder and encoder, dispatch (on the worker group), connection error handler.
 */
public final class RpcServer implements AutoCloseable {
  /**
   * Options of a server; zero bandwidth limits mean unlimited.
   *
   * @param connectionsMax open connections at most (see {@link ConnectionLimitHandler})
   * @param uploadBytesPerSecond bytes per second received, all connections together
   * @param downloadBytesPerSecond bytes per second sent, all connections together
   * @param workerThreads threads running requests
   * @param idleSeconds a connection with no traffic this long is closed
   * @param connectionsPerAddressMax open connections from one remote IP address at most
   * @param handshakeMillis a connection must say HELLO and make its first request this soon
   */
  public record Options(int connectionsMax, long uploadBytesPerSecond,
      long downloadBytesPerSecond, int workerThreads, int idleSeconds,
      int connectionsPerAddressMax, long handshakeMillis) {
    /** Default of {@link #connectionsMax}. */
    public static final int CONNECTIONS_MAX_DEFAULT = 1024;
    /**
     * Default of {@link #connectionsPerAddressMax}: far below the total, so one client cannot
     * take every slot, and far above what a client's pool opens (2 per server).
     */
    public static final int CONNECTIONS_PER_ADDRESS_MAX_DEFAULT = 128;
    /** Default of {@link #idleSeconds}: clients' pools reconnect on demand when closed. */
    public static final int IDLE_SECONDS_DEFAULT = 60;
    /** Default of {@link #handshakeMillis}: a real client asks at once after connecting. */
    public static final long HANDSHAKE_MILLIS_DEFAULT = 10_000;

    public Options {
      if (connectionsMax < 1 || connectionsPerAddressMax < 1 || workerThreads < 1
          || idleSeconds < 1 || handshakeMillis < 1) {
        throw new IllegalArgumentException("connection limits, workers and timeouts must be "
            + "positive: " + connectionsMax + ", " + connectionsPerAddressMax + ", "
            + workerThreads + ", " + idleSeconds + " s, " + handshakeMillis + " ms");
      }
    }

    /** Creates options with the default per-address limit and deadlines. */
    public Options(int connectionsMax, long uploadBytesPerSecond, long downloadBytesPerSecond,
        int workerThreads) {
      this(connectionsMax, uploadBytesPerSecond, downloadBytesPerSecond, workerThreads,
          IDLE_SECONDS_DEFAULT, CONNECTIONS_PER_ADDRESS_MAX_DEFAULT, HANDSHAKE_MILLIS_DEFAULT);
    }

    /** Returns sensible defaults: 1024 connections, 128 per address, no bandwidth limits. */
    public static Options defaults() {
      return new Options(CONNECTIONS_MAX_DEFAULT, 0, 0, 8);
    }

    /** Returns these options with other connection limits. */
    public Options withConnections(int max, int perAddressMax) {
      return new Options(max, uploadBytesPerSecond, downloadBytesPerSecond, workerThreads,
          idleSeconds, perAddressMax, handshakeMillis);
    }

    /** Returns these options with another handshake deadline, in milliseconds. */
    public Options withHandshakeMillis(long millis) {
      return new Options(connectionsMax, uploadBytesPerSecond, downloadBytesPerSecond,
          workerThreads, idleSeconds, connectionsPerAddressMax, millis);
    }
  }

  /** Pause between two checks for requests still running during a graceful close. */
  private static final long DRAIN_POLL_MILLIS = 20;
  /** Longest wait for one executor to run its queued events at close. */
  private static final long DRAIN_WAIT_MILLIS = 2_000;

  private final EventLoopGroup boss;
  private final EventLoopGroup io;
  private final EventExecutorGroup workers;
  private final GlobalTrafficShapingHandler shaper;
  private final Channel channel;
  private final ChannelGroup connections;
  private final ConnectionLimitHandler limit;
  private final InFlight inFlight;
  private final TrafficCounters traffic;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RpcServer(EventLoopGroup boss, EventLoopGroup io, EventExecutorGroup workers,
      GlobalTrafficShapingHandler shaper, Channel channel, ChannelGroup connections,
      ConnectionLimitHandler limit, InFlight inFlight, TrafficCounters traffic) {
    this.limit = limit;
    this.inFlight = inFlight;
    this.traffic = traffic;
    this.boss = boss;
    this.io = io;
    this.workers = workers;
    this.shaper = shaper;
    this.channel = channel;
    this.connections = connections;
  }

  /** Binds {@code host:port} (port 0 picks a free one) and starts serving. */
  public static RpcServer start(String host, int port, Hello ours, RequestHandler handler,
      Options options) throws InterruptedException {
    requireNonNull(ours, "ours");
    requireNonNull(handler, "handler");
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoopGroup io = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    EventExecutorGroup workers = new DefaultEventExecutorGroup(options.workerThreads());
    GlobalTrafficShapingHandler shaper = null;
    if (options.uploadBytesPerSecond() > 0 || options.downloadBytesPerSecond() > 0) {
      // write limit = what we send (downloads from us); read limit = what we receive.
      shaper = new GlobalTrafficShapingHandler(io.next(), options.downloadBytesPerSecond(),
          options.uploadBytesPerSecond(), 100);
    }
    ConnectionLimitHandler limit = new ConnectionLimitHandler(options.connectionsMax(),
        options.connectionsPerAddressMax());
    GlobalTrafficShapingHandler sharedShaper = shaper;
    ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    InFlight inFlight = new InFlight();
    TrafficCounters traffic = new TrafficCounters();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, io)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 256)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel socket) {
            connections.add(socket);
            ChannelPipeline pipeline = socket.pipeline();
            pipeline.addLast("limit", limit);
            if (sharedShaper != null) {
              pipeline.addLast("shaper", sharedShaper);
            }
            pipeline.addLast("idle", new IdleStateHandler(0, 0, options.idleSeconds()));
            Frames.addCodec(pipeline);
            pipeline.addLast(workers, "dispatch", new ServerDispatchHandler(ours, handler,
                options.handshakeMillis(), inFlight, traffic));
            pipeline.addLast("errors", new ConnectionErrorHandler());
          }
        });
    try {
      Channel channel = bootstrap.bind(host, port).sync().channel();
      return new RpcServer(boss, io, workers, shaper, channel, connections, limit,
          inFlight, traffic);
    } catch (RuntimeException | InterruptedException e) {
      boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      io.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw e;
    }
  }

  /** Returns the bound address (with the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Waits until every executor of {@code group} ran what was queued on it before this call. */
  private static void drain(EventExecutorGroup group) {
    for (EventExecutor executor : group) {
      if (!executor.isShuttingDown()) {
        executor.submit(() -> { }).awaitUninterruptibly(DRAIN_WAIT_MILLIS);
      }
    }
  }

  /** Returns the connections open now (admitted and refused ones not yet closed). */
  public int openConnections() {
    return limit.open();
  }

  /** Returns how many connections were refused with BUSY since start. */
  public long refusedConnections() {
    return limit.refused();
  }

  /** Returns how many connections that had made no request were closed to make room. */
  public long evictedConnections() {
    return limit.evicted();
  }

  /** Returns what was asked and answered since start, per request type and error code. */
  public TrafficCounters traffic() {
    return traffic;
  }

  /** Returns the shared traffic shaper, or null when no bandwidth limit is set. */
  public GlobalTrafficShapingHandler shaper() {
    return shaper;
  }

  /** Closes at once: requests still running lose their connection ({@link #close(Duration)}). */
  @Override
  public void close() {
    close(Duration.ZERO);
  }

  /**
   * Stops accepting connections, answers new requests on open ones with BUSY (clients go to
   * another server), waits up to {@code grace} for the requests already running to finish and
   * their replies to be written, then closes like {@link #close()}. Returns how many requests
   * were still running when the grace ran out (0 after a clean drain). Idempotent.
   */
  public int close(Duration grace) {
    if (!closed.compareAndSet(false, true)) {
      return 0;
    }
    channel.close().syncUninterruptibly();
    inFlight.stopping = true;
    long deadline = System.nanoTime() + grace.toNanos();
    while (!drained() && deadline - System.nanoTime() > 0) {
      try {
        Thread.sleep(DRAIN_POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    int abandoned = inFlight.running.get();
    closeNow();
    return abandoned;
  }

  /** Returns true when no request runs and every reply has left the connection's buffer. */
  private boolean drained() {
    if (inFlight.running.get() > 0) {
      return false;
    }
    for (Channel connection : connections) {
      ChannelOutboundBuffer pending = connection.unsafe().outboundBuffer();
      if (connection.isActive() && pending != null && !pending.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Requests running now on any connection, and whether the server is stopping; shared by
   * every connection's {@link ServerDispatchHandler}.
   */
  static final class InFlight {
    final AtomicInteger running = new AtomicInteger();
    volatile boolean stopping;
  }

  private void closeNow() {
    channel.close().syncUninterruptibly();
    // Connections first, while every executor still runs: a pipeline's teardown hops between
    // the I/O loop and the workers, and a stopped executor would reject the hop.
    connections.close().awaitUninterruptibly();
    // A closed connection's inactive and unregistered events run later, on its I/O loop, and
    // hop to the workers (dispatch) and back: let them pass before stopping either, or Netty
    // logs RejectedExecutionException traces for every connection still open at close.
    drain(io);
    drain(workers);
    drain(io);
    if (shaper != null) {
      shaper.release();
    }
    workers.shutdownGracefully(100, 2_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    io.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    boss.terminationFuture().syncUninterruptibly();
    io.terminationFuture().syncUninterruptibly();
  }
}
