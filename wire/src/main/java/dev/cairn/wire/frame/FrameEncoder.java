package dev.cairn.wire.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link Frame}s and {@link FrameHeader}s (docs/protocol.md, section 6).
 *
 * <pre>
 * Frame[PING, requestId=7, no payload]        -&gt; 00000009 03 0000000000000007
 * FrameHeader[BLOB_DATA, requestId=7, 5 bytes] -&gt; 0000000e 13 0000000000000007
 *                                                (the caller then writes the 5 bytes)
 * </pre>
 *
 * <p>Design: the header goes into a fresh 13-byte buffer and the payload buffer is passed on
 * as it is, so a 32 MiB blob body is never copied on its way to the socket. A {@link
 * FrameHeader} writes only the header, so the payload can follow as a {@code FileRegion}, which
 * this encoder lets through untouched. Stateless and therefore {@link Sharable}.
 */
@Sharable
public final class FrameEncoder extends MessageToMessageEncoder<Object> {
  /** The one instance every pipeline can share. */
  public static final FrameEncoder INSTANCE = new FrameEncoder();

  private FrameEncoder() {}

  @Override
  public boolean acceptOutboundMessage(Object message) {
    return message instanceof Frame || message instanceof FrameHeader;
  }

  @Override
  protected void encode(ChannelHandlerContext context, Object message, List<Object> out) {
    if (message instanceof FrameHeader header) {
      out.add(encodeHeader(context.alloc(), header));
      return;
    }
    Frame frame = (Frame) message;
    ByteBuf payload = frame.payload();
    out.add(encodeHeader(context.alloc(),
        new FrameHeader(frame.type(), frame.requestId(), payload.readableBytes())));
    if (payload.isReadable()) {
      // MessageToMessageEncoder releases the frame after encode; the retain keeps the payload
      // alive until the transport has written it.
      out.add(payload.retain());
    }
  }

  /** Returns a new buffer holding the 13 header bytes for {@code header}. */
  public static ByteBuf encodeHeader(ByteBufAllocator allocator, FrameHeader header) {
    ByteBuf buffer = allocator.buffer(Frames.HEADER_BYTES, Frames.HEADER_BYTES);
    buffer.writeInt(Frames.TYPE_AND_REQUEST_ID_BYTES + header.payloadBytes());
    buffer.writeByte(header.type().code());
    buffer.writeLong(header.requestId());
    return buffer;
  }
}
