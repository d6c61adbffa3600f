package dev.cairn.wire.rpc;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.ErrorMessage;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Refuses connections past a limit with an ERROR frame named BUSY, so a flood of idle
 * connections cannot exhaust a donor. Shared by all channels of one server.
 */
@Sharable
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
  private final int connectionsMax;
  private final AtomicInteger open = new AtomicInteger();

  ConnectionLimitHandler(int connectionsMax) {
    this.connectionsMax = connectionsMax;
  }

  @Override
  public void channelActive(ChannelHandlerContext context) throws Exception {
    if (open.incrementAndGet() > connectionsMax) {
      CairnException busy = new CairnException(ErrorCode.BUSY,
          "this server allows " + connectionsMax + " connections; try again later");
      context.writeAndFlush(ErrorMessage.of(busy).toFrame(0, context.alloc()))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    super.channelActive(context);
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) throws Exception {
    open.decrementAndGet();
    super.channelInactive(context);
  }

  int open() {
    return open.get();
  }
}
