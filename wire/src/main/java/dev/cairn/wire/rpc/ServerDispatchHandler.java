package dev.cairn.wire.rpc;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.frame.ErrorMessage;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.message.LedgerMessages.Identify;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server side of a connection after the codec: checks the peer's HELLO, answers PING, and
 * passes every other request to the {@link RequestHandler}. Runs on a worker executor so that
 * handlers may block. One instance per channel: it holds the peer's handshake.
 *
 * <p>A connection must send its HELLO and its first request within the handshake deadline, or
 * it is closed with a BUSY error: an anonymous socket that only connects (or only says HELLO)
 * holds a connection slot for seconds, not for the idle timeout.
 *
 * <p>It also answers IDENTIFY (protocol.md 6.6), by which a peer proves the key of its HELLO:
 * from then on {@link Responder#provenKey()} names that key to every handler.
 */
final class ServerDispatchHandler extends SimpleChannelInboundHandler<Frame> {
  private static final Logger LOG = Logger.getLogger(ServerDispatchHandler.class.getName());

  private final Hello ours;
  private final RequestHandler handler;
  private final long handshakeMillis;
  private final RpcServer.InFlight inFlight;
  private final TrafficCounters traffic;
  /** How far an IDENTIFY's clock may be from ours, either way. */
  static final long IDENTIFY_SKEW_MILLIS = 5 * 60_000L;

  private Hello peer;
  private boolean identified;
  private boolean requested;
  private ScheduledFuture<?> deadline;

  ServerDispatchHandler(Hello ours, RequestHandler handler, long handshakeMillis,
      RpcServer.InFlight inFlight, TrafficCounters traffic) {
    this.inFlight = inFlight;
    this.traffic = traffic;
    this.ours = ours;
    this.handler = handler;
    this.handshakeMillis = handshakeMillis;
  }

  @Override
  public void channelActive(ChannelHandlerContext context) throws Exception {
    context.writeAndFlush(ours.toFrame(context.alloc()));
    deadline = context.executor().schedule(() -> closeIfNoRequest(context), handshakeMillis,
        TimeUnit.MILLISECONDS);
    super.channelActive(context);
  }

  private void closeIfNoRequest(ChannelHandlerContext context) {
    if (requested || !context.channel().isActive()) {
      return;
    }
    context.writeAndFlush(ErrorMessage.busy("no request within " + handshakeMillis
        + " ms of connecting; connect again when there is one", 0).toFrame(0, context.alloc()))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) throws Exception {
    if (deadline != null) {
      deadline.cancel(false);
    }
    super.channelInactive(context);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      context.close(); // an idle connection holds a slot of the connection limit for nothing
      return;
    }
    super.userEventTriggered(context, event);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext context, Frame frame) {
    if (peer == null) {
      peer = Hello.checkPeer(frame); // throws VERSION_MISMATCH: the connection closes
      return;
    }
    if (!requested) {
      requested = true;
      ConnectionLimitHandler.markUsed(context.channel());
    }
    traffic.request(frame.type(), frame.payloadBytes());
    Responder responder = new Responder(context, frame.requestId(), peer, identified,
        frame.type(), traffic);
    if (frame.type() == FrameType.PING) {
      responder.reply(FrameType.PONG);
      return;
    }
    if (frame.type() == FrameType.IDENTIFY) {
      try {
        checkIdentify(Identify.decode(frame.payload()));
        identified = true;
        responder.reply(FrameType.IDENTIFY_OK);
      } catch (CairnException e) {
        responder.fail(e);
      }
      return;
    }
    if (frame.type() == FrameType.HELLO) {
      responder.fail(new CairnException(ErrorCode.BAD_FRAME, "HELLO sent twice"));
      return;
    }
    if (inFlight.stopping) {
      responder.fail(new CairnException(ErrorCode.BUSY, "this server is stopping; ask another"));
      return;
    }
    inFlight.running.incrementAndGet();
    try {
      handler.handle(frame, responder);
    } catch (CairnException e) {
      responder.fail(e);
    } catch (Exception | AssertionError e) {
      LOG.log(Level.WARNING, "request " + frame + " from " + context.channel().remoteAddress()
          + " failed", e);
      responder.fail(new CairnException(ErrorCode.INTERNAL,
          "the server failed on this request (" + e.getClass().getSimpleName() + ")"));
    } finally {
      inFlight.running.decrementAndGet();
    }
  }

  /**
   * Checks a proof of the peer's HELLO key: the key it names is the HELLO's, the key it was
   * made for is ours, its clock is within {@link #IDENTIFY_SKEW_MILLIS} of ours, and the HELLO
   * key signed it. UNAUTHORIZED naming what is wrong otherwise.
   */
  private void checkIdentify(Identify proof) {
    if (!peer.hasKey() || !Arrays.equals(proof.nodeKey(), peer.nodeKey())) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "IDENTIFY must prove the key of the "
          + "connection's HELLO");
    }
    if (!ours.hasKey() || !Arrays.equals(proof.peerKey(), ours.nodeKey())) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "IDENTIFY was made for another "
          + "server's key");
    }
    long skew = Math.abs(System.currentTimeMillis() - proof.timestampMillis());
    if (skew > IDENTIFY_SKEW_MILLIS) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "IDENTIFY clock is " + skew
          + " ms from this server's; at most " + IDENTIFY_SKEW_MILLIS + " ms (check NTP)");
    }
    PublicKey key = PublicKey.fromBytes(proof.nodeKey());
    key.checkSignature(SignatureDomain.NODE_HELLO, proof.signedMessage(), proof.signature(),
        "IDENTIFY of node " + key.fingerprint());
  }
}
