package dev.cairn.wire.rpc;

import dev.cairn.wire.frame.ErrorMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admission: decides, when a connection opens, whether the server takes it, so that one client
 * cannot exhaust the server's connections. Shared by all channels of one server.
 *
 * <p>Three rules, in order:
 * <ol>
 *   <li>At most {@code perAddressMax} connections from one remote IP address; past it the new
 *       connection is refused.
 *   <li>At most {@code connectionsMax} in all. When full, the oldest connection that has not
 *       made a request yet (an anonymous idle socket: said HELLO, or nothing, and waits) is
 *       closed to make room; connections that have made requests (readers, writers, donors
 *       heartbeating, peers repairing) are never closed for a newcomer. Only when there is no
 *       such socket is the newcomer refused.
 *   <li>Refusing sends one ERROR frame, BUSY with a retry hint of {@link #RETRY_AFTER_MILLIS},
 *       then closes; an evicted socket gets the same frame.
 * </ol>
 * A connection that never makes a request is closed after the server's handshake deadline
 * anyway ({@link ServerDispatchHandler}); this class only keeps such sockets from taking a
 * slot someone needs meanwhile. {@link #markUsed} records a connection's first request.
 */
@Sharable
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
  /** The retry hint sent with every refusal: long enough to let the crowd thin out. */
  static final long RETRY_AFTER_MILLIS = 2_000;

  private static final AttributeKey<Boolean> USED =
      AttributeKey.valueOf(ConnectionLimitHandler.class, "used");
  private static final AttributeKey<InetAddress> COUNTED_AS =
      AttributeKey.valueOf(ConnectionLimitHandler.class, "countedAs");

  private final int connectionsMax;
  private final int perAddressMax;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  /** Admitted connections in arrival order that had made no request when admitted. */
  private final ConcurrentLinkedDeque<Channel> unused = new ConcurrentLinkedDeque<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong evicted = new AtomicLong();

  ConnectionLimitHandler(int connectionsMax, int perAddressMax) {
    this.connectionsMax = connectionsMax;
    this.perAddressMax = perAddressMax;
  }

  /** Records that {@code channel} made a request: it is no longer evicted for a newcomer. */
  static void markUsed(Channel channel) {
    channel.attr(USED).set(Boolean.TRUE);
  }

  @Override
  public void channelActive(ChannelHandlerContext context) throws Exception {
    Channel channel = context.channel();
    open.incrementAndGet();
    InetAddress address = remoteAddress(channel.remoteAddress());
    int fromAddress = 0;
    if (address != null) {
      channel.attr(COUNTED_AS).set(address);
      fromAddress = perAddress.computeIfAbsent(address, a -> new AtomicInteger())
          .incrementAndGet();
    }
    if (fromAddress > perAddressMax) {
      refuse(channel, "this server allows " + perAddressMax + " connections per client "
          + "address");
      return;
    }
    if (open.get() > connectionsMax && !evictOneUnused(channel)) {
      refuse(channel, "this server allows " + connectionsMax + " connections and all are in "
          + "use");
      return;
    }
    unused.addLast(channel);
    super.channelActive(context);
  }

  /** Closes the oldest still-open connection that made no request; false if there is none. */
  private boolean evictOneUnused(Channel newcomer) {
    for (Channel candidate = unused.pollFirst(); candidate != null;
        candidate = unused.pollFirst()) {
      if (candidate != newcomer && candidate.isActive() && !isUsed(candidate)) {
        evicted.incrementAndGet();
        busy(candidate, "closed to make room: this connection made no request while the "
            + "server was full");
        return true;
      }
    }
    return false;
  }

  private static boolean isUsed(Channel channel) {
    return Boolean.TRUE.equals(channel.attr(USED).get());
  }

  private void refuse(Channel channel, String why) {
    refused.incrementAndGet();
    busy(channel, why);
  }

  private static void busy(Channel channel, String why) {
    // Written from the tail, through the frame encoder, which sits after this handler.
    channel.writeAndFlush(ErrorMessage.busy(why + "; try again in " + RETRY_AFTER_MILLIS
        + " ms or ask another node", RETRY_AFTER_MILLIS).toFrame(0, channel.alloc()))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) throws Exception {
    Channel channel = context.channel();
    open.decrementAndGet();
    unused.remove(channel);
    InetAddress address = channel.attr(COUNTED_AS).getAndSet(null);
    if (address != null) {
      perAddress.computeIfPresent(address, (a, count) ->
          count.decrementAndGet() <= 0 ? null : count);
    }
    super.channelInactive(context);
  }

  private static InetAddress remoteAddress(SocketAddress remote) {
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }

  int open() {
    return open.get();
  }

  /** Returns how many connections were refused with BUSY since start. */
  long refused() {
    return refused.get();
  }

  /** Returns how many idle connections were closed to make room since start. */
  long evicted() {
    return evicted.get();
  }
}
