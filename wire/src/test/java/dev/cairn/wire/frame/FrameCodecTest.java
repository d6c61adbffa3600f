package dev.cairn.wire.frame;

import static dev.cairn.wire.frame.FrameChannels.decoding;
import static dev.cairn.wire.frame.FrameChannels.drain;
import static dev.cairn.wire.frame.FrameChannels.encode;
import static dev.cairn.wire.frame.FrameChannels.payloadBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void encodesTheDocumentedLayout() {
    Frame frame = Frame.of(FrameType.GET_BLOB, 0x0102030405060708L,
        Unpooled.wrappedBuffer(new byte[] {(byte) 0xaa, (byte) 0xbb}));
    assertEquals("0000000b" + "12" + "0102030405060708" + "aabb", HEX.formatHex(encode(frame)));
    assertEquals(0, frame.refCnt(), "the encoder owns and releases a written frame");
  }

  @ParameterizedTest
  @EnumSource(FrameType.class)
  void everyTypeRoundTripsWithPayload(FrameType type) {
    byte[] payload = new byte[type.code() * 3];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 7 + type.code());
    }
    long requestId = 0xfedcba9876543210L ^ type.code();
    Frame decoded = roundTrip(Frame.of(type, requestId, Unpooled.wrappedBuffer(payload)));
    assertEquals(type, decoded.type());
    assertEquals(requestId, decoded.requestId());
    assertArrayEquals(payload, payloadBytes(decoded));
    assertTrue(decoded.release());
  }

  @Test
  void emptyPayloadRoundTrips() {
    Frame decoded = roundTrip(Frame.empty(FrameType.PING, -1L));
    assertEquals(FrameType.PING, decoded.type());
    assertEquals(-1L, decoded.requestId(), "requestId is a full unsigned u64");
    assertEquals(0, decoded.payloadBytes());
    decoded.release();
  }

  @Test
  void largestPayloadRoundTrips() {
    ByteBuf payload = Unpooled.buffer(Frames.PAYLOAD_BYTES_MAX)
        .writerIndex(Frames.PAYLOAD_BYTES_MAX);
    payload.setByte(Frames.PAYLOAD_BYTES_MAX - 1, 0x5a);
    Frame decoded = roundTrip(Frame.of(FrameType.BLOB_DATA, 9, payload));
    assertEquals(Frames.PAYLOAD_BYTES_MAX, decoded.payloadBytes());
    assertEquals(0x5a, decoded.payload().getByte(Frames.PAYLOAD_BYTES_MAX - 1));
    decoded.release();
  }

  @Test
  void refusesToBuildAnOversizePayloadAndReleasesIt() {
    ByteBuf payload = Unpooled.buffer(Frames.PAYLOAD_BYTES_MAX + 1)
        .writerIndex(Frames.PAYLOAD_BYTES_MAX + 1);
    FrameException e = assertThrows(FrameException.class,
        () -> Frame.of(FrameType.BLOB_DATA, 1, payload));
    assertEquals(ErrorCode.FRAME_TOO_LARGE, e.code());
    assertEquals(0, payload.refCnt());
    assertThrows(FrameException.class,
        () -> new FrameHeader(FrameType.BLOB_DATA, 1, Frames.PAYLOAD_BYTES_MAX + 1));
    assertEquals(ErrorCode.BAD_FRAME,
        assertThrows(FrameException.class, () -> new FrameHeader(FrameType.PING, 1, -1)).code());
  }

  @Test
  void decodesFedOneByteAtATime() {
    byte[] stream = concat(
        encode(Frame.of(FrameType.PUT_BLOB, 5, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}))),
        encode(Frame.empty(FrameType.PONG, 6)));
    EmbeddedChannel channel = decoding();
    for (int i = 0; i < stream.length; i++) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {stream[i]}));
      if (i < 15) {
        assertNull(channel.readInbound(), "no frame before its last byte, byte " + i);
      }
    }
    List<Frame> frames = drain(channel);
    assertEquals(2, frames.size());
    assertEquals(FrameType.PUT_BLOB, frames.get(0).type());
    assertEquals(5, frames.get(0).requestId());
    assertArrayEquals(new byte[] {1, 2, 3}, payloadBytes(frames.get(0)));
    assertEquals(FrameType.PONG, frames.get(1).type());
    assertEquals(6, frames.get(1).requestId());
    frames.forEach(Frame::release);
    assertFalse(channel.finish(), "nothing left over at close");
  }

  @Test
  void aLargeFrameKeepsTheReadBuffersUncopied() {
    byte[] payload = new byte[4 << 20];
    new java.util.Random(7).nextBytes(payload);
    byte[] stream = encode(Frame.of(FrameType.PUT_BLOB, 9, Unpooled.wrappedBuffer(payload)));
    EmbeddedChannel channel = decoding();
    int readBytes = 64 * 1024;
    for (int offset = 0; offset < stream.length; offset += readBytes) {
      channel.writeInbound(Unpooled.wrappedBuffer(stream, offset,
          Math.min(readBytes, stream.length - offset)));
    }
    List<Frame> frames = drain(channel);
    assertEquals(1, frames.size());
    ByteBuf received = frames.get(0).payload();
    assertTrue(received.nioBufferCount() > 1, "the payload is a slice over the read buffers, "
        + "not one merged copy: " + received.nioBufferCount() + " buffer(s)");
    assertArrayEquals(payload, payloadBytes(frames.get(0)));
    frames.forEach(Frame::release);
    assertFalse(channel.finish(), "nothing left over at close");
  }

  @Test
  void aTrickledFrameStaysWithinTheComponentBound() {
    byte[] payload = new byte[3 * FrameDecoder.COMPONENTS_MAX];
    new java.util.Random(8).nextBytes(payload);
    byte[] stream = encode(Frame.of(FrameType.PUT_BLOB, 10, Unpooled.wrappedBuffer(payload)));
    EmbeddedChannel channel = decoding();
    for (byte b : stream) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    List<Frame> frames = drain(channel);
    assertEquals(1, frames.size());
    ByteBuf received = frames.get(0).payload();
    assertTrue(received.nioBufferCount() <= FrameDecoder.COMPONENTS_MAX,
        received.nioBufferCount() + " buffers for " + payload.length + " bytes fed one by one");
    assertArrayEquals(payload, payloadBytes(frames.get(0)));
    frames.forEach(Frame::release);
    assertFalse(channel.finish(), "nothing left over at close");
  }

  @Test
  void decodesSeveralFramesFromOneBuffer() {
    byte[] stream = concat(encode(Frame.empty(FrameType.PING, 1)),
        encode(Frame.of(FrameType.STATS, 2, Unpooled.wrappedBuffer(new byte[] {9}))),
        encode(Frame.empty(FrameType.PING, 3)));
    EmbeddedChannel channel = decoding();
    channel.writeInbound(Unpooled.wrappedBuffer(stream));
    List<Frame> frames = drain(channel);
    assertEquals(List.of(1L, 2L, 3L), frames.stream().map(Frame::requestId).toList());
    assertEquals(List.of(FrameType.PING, FrameType.STATS, FrameType.PING),
        frames.stream().map(Frame::type).toList());
    assertArrayEquals(new byte[] {9}, payloadBytes(frames.get(1)));
    frames.forEach(Frame::release);
    assertFalse(channel.finish());
  }

  static Stream<String> truncatedStreams() {
    return Stream.of(
        "00", "000000", "00000009", "0000000903", "0000000903010203040506",
        "0000000c03010203040506070801", "00000009030102030405060708" + "0000");
  }

  @ParameterizedTest
  @MethodSource("truncatedStreams")
  void truncationAtCloseIsBadFrame(String hex) {
    byte[] stream = HEX.parseHex(hex);
    EmbeddedChannel channel = decoding();
    channel.writeInbound(Unpooled.wrappedBuffer(stream));
    List<Frame> complete = drain(channel);
    complete.forEach(Frame::release);
    FrameException e = assertThrows(FrameException.class, channel::finish);
    assertEquals(ErrorCode.BAD_FRAME, e.code());
    assertTrue(e.getMessage().startsWith("BAD_FRAME: truncated frame: "), e.getMessage());
  }

  @Test
  void truncationMessageCountsBytes() {
    EmbeddedChannel channel = decoding();
    channel.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("0000000c03010203040506070801")));
    FrameException e = assertThrows(FrameException.class, channel::finish);
    assertEquals("BAD_FRAME: truncated frame: 14 of 16 bytes", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(longs = {0x7fffffffL, 0xffffffffL, Frames.FRAME_BYTES_MAX + 1L, 0x80000000L})
  void oversizeLengthFailsOnItsFourBytesWithoutAllocating(long length) {
    UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);
    EmbeddedChannel channel = decoding(allocator);
    ByteBuf header = Unpooled.buffer(4).writeInt((int) length);
    FrameException e = assertThrows(FrameException.class, () -> channel.writeInbound(header));
    assertEquals(ErrorCode.FRAME_TOO_LARGE, e.code());
    assertTrue(e.getMessage().startsWith("FRAME_TOO_LARGE: frame length " + length),
        e.getMessage());
    assertEquals(0, header.refCnt(), "the decoder let go of the bytes it was given");
    assertEquals(0, allocator.metric().usedHeapMemory() + allocator.metric().usedDirectMemory());
    assertFalse(channel.finish(), "nothing decoded, nothing thrown again at close");
  }

  @Test
  void oversizeLengthFedByteByByteFailsAtTheFourthByte() {
    UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);
    EmbeddedChannel channel = decoding(allocator);
    for (int i = 0; i < 3; i++) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff}));
      assertTrue(allocator.metric().usedHeapMemory() <= 64, "cumulation stays tiny");
    }
    FrameException e = assertThrows(FrameException.class,
        () -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff})));
    assertEquals(ErrorCode.FRAME_TOO_LARGE, e.code());
    assertEquals(0, allocator.metric().usedHeapMemory(), "the cumulation was freed");
  }

  @Test
  void theMaximumLengthIsAcceptedAndAwaited() {
    EmbeddedChannel channel = decoding();
    channel.writeInbound(Unpooled.buffer().writeInt(Frames.FRAME_BYTES_MAX).writeByte(19)
        .writeLong(1));
    assertNull(channel.readInbound(), "waits for the payload");
    assertThrows(FrameException.class, channel::finish);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 8})
  void lengthBelowNineIsBadFrame(int length) {
    EmbeddedChannel channel = decoding();
    ByteBuf header = Unpooled.buffer(4).writeInt(length);
    FrameException e = assertThrows(FrameException.class, () -> channel.writeInbound(header));
    assertEquals(ErrorCode.BAD_FRAME, e.code());
    assertEquals("BAD_FRAME: frame length " + length + " is below the minimum 9", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 5, 15, 28, 47, 120, 99, 255})
  void unknownTypeFailsOnItsByteWithoutWaitingForThePayload(int code) {
    EmbeddedChannel channel = decoding();
    ByteBuf start = Unpooled.buffer(5).writeInt(1000).writeByte(code);
    FrameException e = assertThrows(FrameException.class, () -> channel.writeInbound(start));
    assertEquals(ErrorCode.UNKNOWN_TYPE, e.code());
    assertEquals("UNKNOWN_TYPE: frame type " + code + " is not defined", e.getMessage());
  }

  @Test
  void afterAnErrorTheRestOfTheStreamIsDiscarded() {
    EmbeddedChannel channel = decoding();
    assertThrows(FrameException.class,
        () -> channel.writeInbound(Unpooled.buffer().writeInt(3)));
    ByteBuf validLookingFrame = Unpooled.wrappedBuffer(encode(Frame.empty(FrameType.PING, 1)));
    assertFalse(channel.writeInbound(validLookingFrame), "no frame after the stream broke");
    assertEquals(0, validLookingFrame.refCnt());
    assertFalse(channel.finish());
  }

  @Test
  void framesBeforeAnErrorAreStillDelivered() {
    EmbeddedChannel channel = decoding();
    byte[] stream = concat(encode(Frame.empty(FrameType.PING, 1)), HEX.parseHex("00000009ee"));
    assertThrows(FrameException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer(stream)));
    List<Frame> frames = drain(channel);
    assertEquals(1, frames.size());
    assertEquals(FrameType.PING, frames.get(0).type());
    frames.forEach(Frame::release);
  }

  @Test
  void headerThenFileRegionIsOneFrameOnTheWire(@TempDir Path directory) throws IOException {
    byte[] body = "blob body bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Path file = Files.write(directory.resolve("blob"), body);
    EmbeddedChannel out = new EmbeddedChannel(FrameEncoder.INSTANCE);
    out.writeOutbound(new FrameHeader(FrameType.BLOB_DATA, 77, body.length),
        new DefaultFileRegion(file.toFile(), 0, body.length));
    ByteBuf header = out.readOutbound();
    assertEquals(Frames.HEADER_BYTES, header.readableBytes());
    Object region = out.readOutbound();
    assertTrue(region instanceof FileRegion, "the region passes the encoder untouched");
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    byte[] headerBytes = new byte[header.readableBytes()];
    header.readBytes(headerBytes).release();
    wire.writeBytes(headerBytes);
    ((FileRegion) region).transferTo(Channels.newChannel(wire), 0);
    ((FileRegion) region).release();

    EmbeddedChannel in = decoding();
    in.writeInbound(Unpooled.wrappedBuffer(wire.toByteArray()));
    Frame frame = in.readInbound();
    assertEquals(FrameType.BLOB_DATA, frame.type());
    assertEquals(77, frame.requestId());
    assertArrayEquals(body, payloadBytes(frame));
    frame.release();
    assertFalse(in.finish());
  }

  @Test
  void addCodecInstallsNamedDecoderThenEncoder() {
    EmbeddedChannel channel = new EmbeddedChannel();
    Frames.addCodec(channel.pipeline());
    assertEquals(List.of(Frames.DECODER_NAME, Frames.ENCODER_NAME),
        channel.pipeline().names().subList(0, 2));
    assertSame(FrameEncoder.INSTANCE, channel.pipeline().get(Frames.ENCODER_NAME));
    assertTrue(channel.pipeline().get(Frames.DECODER_NAME) instanceof FrameDecoder);
    Frame decoded = roundTripThrough(channel, Frame.empty(FrameType.HEARTBEAT, 4));
    assertEquals(FrameType.HEARTBEAT, decoded.type());
    decoded.release();
  }

  private static Frame roundTrip(Frame frame) {
    EmbeddedChannel channel = new EmbeddedChannel();
    Frames.addCodec(channel.pipeline());
    return roundTripThrough(channel, frame);
  }

  /** Writes {@code frame} out, feeds the written bytes back in, returns the one frame read. */
  private static Frame roundTripThrough(EmbeddedChannel channel, Frame frame) {
    channel.writeOutbound(frame);
    for (Object out; (out = channel.readOutbound()) != null; ) {
      channel.writeInbound(out);
    }
    Frame decoded = channel.readInbound();
    assertNull(channel.readInbound(), "exactly one frame");
    assertFalse(channel.finish());
    return decoded;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      bytes.writeBytes(part);
    }
    return bytes.toByteArray();
  }
}
