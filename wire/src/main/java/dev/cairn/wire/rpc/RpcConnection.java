package dev.cairn.wire.rpc;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.ConnectionErrorHandler;
import dev.cairn.wire.frame.ErrorMessage;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Frames;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.message.LedgerMessages.Identify;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client end of one connection: many requests in flight at once, each paired with its
 * reply by request id.
 *
 * <p>{@link #call} returns a future of the reply frame, which the caller must release. An
 * ERROR reply completes the future with the {@link CairnException} it names; a connection
 * error or close fails every request in flight. A call not answered in time fails with BUSY
 * naming the timeout, and a late reply to it is dropped.
 */
public final class RpcConnection implements AutoCloseable {
  private final InetSocketAddress address;
  private Channel channel; // set once in connect, before the connection is handed out
  private final Map<Long, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextRequestId = new AtomicLong(1);
  private final CompletableFuture<Hello> handshake = new CompletableFuture<>();
  private volatile CairnException closedBecause;

  private RpcConnection(InetSocketAddress address) {
    this.address = address;
  }

  /** Connects, sends {@code ours} and waits for the peer's HELLO, all within {@code timeout}. */
  public static RpcConnection connect(EventLoopGroup group, InetSocketAddress address,
      Hello ours, Duration timeout) {
    return connect(group, address, ours, timeout, null);
  }

  /**
   * Connects like {@link #connect(EventLoopGroup, InetSocketAddress, Hello, Duration)} with
   * {@code first} (a shared traffic shaper, say) at the head of the pipeline, so this
   * connection's bytes count against the same budget as a server's; null for none.
   */
  public static RpcConnection connect(EventLoopGroup group, InetSocketAddress address,
      Hello ours, Duration timeout, ChannelHandler first) {
    requireNonNull(address, "address");
    RpcConnection connection = new RpcConnection(address);
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel socket) {
            if (first != null) {
              socket.pipeline().addLast("first", first);
            }
            Frames.addCodec(socket.pipeline());
            socket.pipeline().addLast("replies", connection.new ReplyHandler());
            socket.pipeline().addLast("errors", new ConnectionErrorHandler());
          }
        });
    Channel channel = bootstrap.register().syncUninterruptibly().channel();
    connection.channel = channel;
    try {
      channel.connect(resolved(address)).syncUninterruptibly();
      channel.writeAndFlush(ours.toFrame(channel.alloc()));
      connection.handshake.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return connection;
    } catch (TimeoutException e) {
      channel.close();
      throw new CairnException(ErrorCode.BUSY, "no handshake from " + address + " within "
          + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      channel.close();
      throw asCairn(e.getCause(), address);
    } catch (InterruptedException e) {
      channel.close();
      Thread.currentThread().interrupt();
      throw new CairnException(ErrorCode.INTERNAL, "interrupted while connecting to " + address);
    } catch (Exception e) {
      // Netty's sync() rethrows a refused connect as the checked ConnectException, undeclared.
      channel.close();
      if (e instanceof ConnectTimeoutException) {
        // A peer that never completes the TCP handshake costs a timeout like a silent one.
        throw new CairnException(ErrorCode.BUSY, "no connection to " + address + " within "
            + timeout.toMillis() + " ms", e);
      }
      throw asCairn(e, address);
    }
  }

  /**
   * Connects like {@link #connect(EventLoopGroup, InetSocketAddress, Hello, Duration,
   * ChannelHandler)} and then, if {@code identity} is given and the peer is a storage node,
   * proves that {@code ours} carries {@code identity}'s key (IDENTIFY, protocol.md 6.6), so
   * that the donor's reader policy sees who reads. A refused proof closes the connection and
   * throws its error.
   */
  public static RpcConnection connect(EventLoopGroup group, InetSocketAddress address,
      Hello ours, SigningKey identity, Duration timeout, ChannelHandler first) {
    RpcConnection connection = connect(group, address, ours, timeout, first);
    if (identity == null || connection.peer().role() != PeerRole.STORAGE_NODE
        || !connection.peer().hasKey()) {
      return connection;
    }
    try {
      connection.identify(identity, timeout);
      return connection;
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** Proves to the peer that this connection's HELLO key is {@code identity}'s. */
  public void identify(SigningKey identity, Duration timeout) {
    byte[] mine = identity.publicKey().toBytes();
    long now = System.currentTimeMillis();
    byte[] peerKey = peer().nodeKey();
    byte[] signature = identity.sign(SignatureDomain.NODE_HELLO,
        Identify.signedMessage(mine, peerKey, now));
    ByteBuf payload = channel.alloc().buffer(Identify.BYTES, Identify.BYTES);
    new Identify(mine, peerKey, now, signature).writeTo(payload);
    Exchanges.IDENTIFY.call(this, payload, timeout);
  }

  /**
   * Returns {@code address} looked up now if it was given unresolved (addresses from config
   * files and flags are kept by name, so a moved host is found again on the next connect): the
   * channel connects without Netty's resolver, and would fail every time otherwise.
   */
  private static InetSocketAddress resolved(InetSocketAddress address) {
    if (!address.isUnresolved()) {
      return address;
    }
    InetSocketAddress looked = new InetSocketAddress(address.getHostString(), address.getPort());
    if (looked.isUnresolved()) {
      throw new CairnException(ErrorCode.IO_ERROR, "cannot reach " + address
          + ": the host name does not resolve");
    }
    return looked;
  }

  private static CairnException asCairn(Throwable cause, InetSocketAddress address) {
    if (cause instanceof CairnException cairn) {
      return cairn;
    }
    return new CairnException(ErrorCode.IO_ERROR, "cannot reach " + address + ": "
        + cause.getClass().getSimpleName() + (cause.getMessage() == null ? ""
        : " " + cause.getMessage()), cause);
  }

  /** Returns the peer's handshake. */
  public Hello peer() {
    return handshake.getNow(null);
  }

  public InetSocketAddress address() {
    return address;
  }

  /** Returns true while the connection can carry requests. */
  public boolean isOpen() {
    return channel.isActive() && closedBecause == null;
  }

  /**
   * Sends a request owning {@code payload} and returns the future reply, which fails after
   * {@code timeout}. The reply frame is the caller's to release.
   */
  public CompletableFuture<Frame> call(FrameType type, ByteBuf payload, Duration timeout) {
    CompletableFuture<Frame> reply = new CompletableFuture<>();
    CairnException closed = closedBecause;
    if (closed != null || !channel.isActive()) {
      payload.release();
      reply.completeExceptionally(closed != null ? closed
          : new CairnException(ErrorCode.IO_ERROR, "connection to " + address + " is closed"));
      return reply;
    }
    long requestId = nextRequestId.getAndIncrement();
    pending.put(requestId, reply);
    channel.writeAndFlush(Frame.of(type, requestId, payload)).addListener(written -> {
      if (!written.isSuccess()) {
        failOne(requestId, new CairnException(ErrorCode.IO_ERROR, "could not send to "
            + address + ": " + written.cause()));
      }
    });
    channel.eventLoop().schedule(() -> failOne(requestId, new CairnException(ErrorCode.BUSY,
        type + " to " + address + " got no reply within " + timeout.toMillis() + " ms")),
        timeout.toMillis(), TimeUnit.MILLISECONDS);
    return reply;
  }

  /** Sends a request with no payload. */
  public CompletableFuture<Frame> call(FrameType type, Duration timeout) {
    return call(type, Unpooled.EMPTY_BUFFER, timeout);
  }

  private void failOne(long requestId, CairnException error) {
    CompletableFuture<Frame> reply = pending.remove(requestId);
    if (reply != null) {
      reply.completeExceptionally(error);
    }
  }

  private void failAll(CairnException error) {
    if (closedBecause == null) {
      closedBecause = error;
    }
    handshake.completeExceptionally(error);
    for (Long requestId : pending.keySet()) {
      failOne(requestId, error);
    }
  }

  @Override
  public void close() {
    failAll(new CairnException(ErrorCode.IO_ERROR, "connection to " + address + " was closed"));
    channel.close();
  }

  /** Pairs replies with their requests; the first frame must be the peer's HELLO. */
  private final class ReplyHandler extends SimpleChannelInboundHandler<Frame> {
    ReplyHandler() {
      super(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, Frame frame) {
      if (!handshake.isDone()) {
        try {
          if (frame.type() == FrameType.ERROR && frame.requestId() == 0) {
            // Refused before the handshake (BUSY at the server's limits): say why, not that
            // the first frame was not a HELLO.
            failAll(ErrorMessage.decode(frame.payload()).toException());
            context.close();
            return;
          }
          handshake.complete(Hello.checkPeer(frame));
        } finally {
          frame.release();
        }
        return;
      }
      if (frame.type() == FrameType.ERROR && frame.requestId() == 0) {
        CairnException error;
        try {
          error = ErrorMessage.decode(frame.payload()).toException();
        } finally {
          frame.release();
        }
        failAll(error);
        context.close();
        return;
      }
      CompletableFuture<Frame> reply = pending.remove(frame.requestId());
      if (reply == null) {
        frame.release(); // a reply that came after its timeout
        return;
      }
      if (frame.type() == FrameType.ERROR) {
        try {
          reply.completeExceptionally(ErrorMessage.decode(frame.payload()).toException());
        } finally {
          frame.release();
        }
        return;
      }
      if (!reply.complete(frame)) {
        frame.release();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
      failAll(new CairnException(ErrorCode.IO_ERROR, "connection to " + address + " closed"));
      super.channelInactive(context);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      failAll(asCairn(cause, address));
      context.fireExceptionCaught(cause);
    }
  }
}
