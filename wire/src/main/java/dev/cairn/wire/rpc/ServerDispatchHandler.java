package dev.cairn.wire.rpc;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server side of a connection after the codec: checks the peer's HELLO, answers PING, and
 * passes every other request to the {@link RequestHandler}. Runs on a worker executor so that
 * handlers may block. One instance per channel: it holds the peer's handshake.
 */
final class ServerDispatchHandler extends SimpleChannelInboundHandler<Frame> {
  private static final Logger LOG = Logger.getLogger(ServerDispatchHandler.class.getName());

  private final Hello ours;
  private final RequestHandler handler;
  private Hello peer;

  ServerDispatchHandler(Hello ours, RequestHandler handler) {
    this.ours = ours;
    this.handler = handler;
  }

  @Override
  public void channelActive(ChannelHandlerContext context) throws Exception {
    context.writeAndFlush(ours.toFrame(context.alloc()));
    super.channelActive(context);
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
    Responder responder = new Responder(context, frame.requestId(), peer);
    if (frame.type() == FrameType.PING) {
      responder.reply(FrameType.PONG);
      return;
    }
    if (frame.type() == FrameType.HELLO) {
      responder.fail(new CairnException(ErrorCode.BAD_FRAME, "HELLO sent twice"));
      return;
    }
    try {
      handler.handle(frame, responder);
    } catch (CairnException e) {
      responder.fail(e);
    } catch (Exception | AssertionError e) {
      LOG.log(Level.WARNING, "request " + frame + " from " + context.channel().remoteAddress()
          + " failed", e);
      responder.fail(new CairnException(ErrorCode.INTERNAL,
          "the server failed on this request (" + e.getClass().getSimpleName() + ")"));
    }
  }
}
