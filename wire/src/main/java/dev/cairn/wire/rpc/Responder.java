package dev.cairn.wire.rpc;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.frame.ErrorMessage;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameHeader;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FileRegion;
import java.net.SocketAddress;

/** Sends the one reply to one request; every reply carries the request's id. */
public final class Responder {
  private final ChannelHandlerContext context;
  private final long requestId;
  private final Hello peer;
  private final boolean identified;
  private final FrameType requestType;
  private final TrafficCounters traffic;

  Responder(ChannelHandlerContext context, long requestId, Hello peer, boolean identified,
      FrameType requestType, TrafficCounters traffic) {
    this.context = context;
    this.requestId = requestId;
    this.peer = peer;
    this.identified = identified;
    this.requestType = requestType;
    this.traffic = traffic;
  }

  /** Returns the allocator to build reply payloads with. */
  public ByteBufAllocator alloc() {
    return context.alloc();
  }

  /** Returns the peer's handshake (role and node key, if it sent one). */
  public Hello peer() {
    return peer;
  }

  /**
   * Returns the peer's HELLO key if the connection proved it with IDENTIFY (protocol.md 6.6),
   * else null: an unproved HELLO key is a claim anyone can make.
   */
  public byte[] provenKey() {
    return identified ? peer.nodeKey() : null;
  }

  /** Returns the peer's network address. */
  public SocketAddress remoteAddress() {
    return context.channel().remoteAddress();
  }

  /** Sends a reply owning {@code payload}. */
  public ChannelFuture reply(FrameType type, ByteBuf payload) {
    traffic.replied(requestType, payload.readableBytes());
    return context.writeAndFlush(Frame.of(type, requestId, payload));
  }

  /** Sends a reply with no payload. */
  public ChannelFuture reply(FrameType type) {
    return context.writeAndFlush(Frame.empty(type, requestId));
  }

  /** Sends a reply made of a small prefix and then a file region, without copying the file. */
  public ChannelFuture replyWithFile(FrameType type, ByteBuf prefix, FileRegion region) {
    int payloadBytes = Math.toIntExact(prefix.readableBytes() + region.count());
    traffic.replied(requestType, payloadBytes);
    context.write(new FrameHeader(type, requestId, payloadBytes));
    context.write(prefix);
    return context.writeAndFlush(region);
  }

  /** Sends an ERROR reply for this request; the connection stays open. */
  public ChannelFuture fail(CairnException error) {
    traffic.refused(error.code());
    return context.writeAndFlush(ErrorMessage.of(error).toFrame(requestId, context.alloc()));
  }
}
