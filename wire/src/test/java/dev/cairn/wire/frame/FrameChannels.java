package dev.cairn.wire.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: channels with the codec, and encoding frames to plain byte arrays. */
final class FrameChannels {
  private FrameChannels() {}

  /**
   * Returns a channel with only a {@link FrameDecoder}, allocating from {@code allocator} so a
   * test can see, through its metric, every byte the decoder makes Netty allocate.
   */
  static EmbeddedChannel decoding(UnpooledByteBufAllocator allocator) {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.config().setAllocator(allocator);
    channel.pipeline().addLast(new FrameDecoder());
    return channel;
  }

  /** Returns a channel with only a {@link FrameDecoder}. */
  static EmbeddedChannel decoding() {
    return decoding(new UnpooledByteBufAllocator(false));
  }

  /** Returns the bytes the encoder writes for {@code messages}, releasing everything. */
  static byte[] encode(Object... messages) {
    EmbeddedChannel channel = new EmbeddedChannel(FrameEncoder.INSTANCE);
    channel.writeOutbound(messages);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (Object out; (out = channel.readOutbound()) != null; ) {
      ByteBuf buffer = (ByteBuf) out;
      byte[] chunk = new byte[buffer.readableBytes()];
      buffer.readBytes(chunk);
      bytes.writeBytes(chunk);
      buffer.release();
    }
    channel.finishAndReleaseAll();
    return bytes.toByteArray();
  }

  /** Takes every frame the channel decoded so far; the caller must release them. */
  static List<Frame> drain(EmbeddedChannel channel) {
    List<Frame> frames = new ArrayList<>();
    for (Object in; (in = channel.readInbound()) != null; ) {
      frames.add((Frame) in);
    }
    return frames;
  }

  /** Returns the readable bytes of a frame's payload, leaving its reader index alone. */
  static byte[] payloadBytes(Frame frame) {
    ByteBuf payload = frame.payload();
    byte[] bytes = new byte[payload.readableBytes()];
    payload.getBytes(payload.readerIndex(), bytes);
    return bytes;
  }
}
