package dev.cairn.wire.rpc;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.ErrorMessage;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
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
 */
final class ServerDispatchHandler extends SimpleChannelInboundHandler<Frame> {
  private static final Logger LOG = Logger.getLogger(ServerDispatchHandler.class.getName());

  private final Hello ours;
  private final RequestHandler handler;
  private final long handshakeMillis;
  private final RpcServer.InFlight inFlight;
  private final TrafficCounters traffic;
  private Hello peer;
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
    Responder responder = new Responder(context, frame.requestId(), peer, frame.type(),
        traffic);
    if (frame.type() == FrameType.PING) {
      responder.reply(FrameType.PONG);
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
}
