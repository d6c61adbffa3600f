package dev.cairn.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw bytes at the port: the offender gets one named ERROR and is cut off; others go on. */
class HostileInputTest {

  @TempDir Path dir;
  private MetadataService service;
  private MetaServiceProbe bystander;

  @BeforeEach
  void start() {
    service = MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0, dir));
    bystander = new MetaServiceProbe(service.address());
    bystander.claim(TestData.newKey(), "bystander");
  }

  @AfterEach
  void stop() {
    bystander.close();
    service.close();
  }

  @Test
  void garbageIsAnsweredWithBadFrameAndAClose() throws IOException {
    assertEquals(ErrorCode.BAD_FRAME, sendRaw(new byte[] {0, 0, 0, 1, 'x', 'y', 'z'}, false));
    assertBystanderServed();
  }

  @Test
  void anOversizedLengthIsRefusedBeforeAnythingIsAllocated() throws IOException {
    byte[] huge = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1};
    assertEquals(ErrorCode.FRAME_TOO_LARGE, sendRaw(huge, true));
    assertBystanderServed();
  }

  @Test
  void aTruncatedPayloadFailsThatRequestOnly() {
    MetaServiceProbe.expect(ErrorCode.BAD_FRAME,
        () -> bystander.call(FrameType.CLAIM_NAME, b -> b.writeShort(3).writeByte('a')));
    MetaServiceProbe.expect(ErrorCode.BAD_FRAME,
        () -> bystander.call(FrameType.PLACEMENT, b -> b.writeByte(1).writeInt(1_000_000)));
    assertBystanderServed();
  }

  @Test
  void malformedTimestampsAreRefusedByNameBeforeAnythingIsAllocated() {
    MetaServiceProbe.expect(ErrorCode.BAD_FRAME,
        () -> bystander.call(FrameType.PUBLISH_TIMESTAMP, b -> b.writeInt(Integer.MAX_VALUE)));
    MetaServiceProbe.expect(ErrorCode.BAD_FRAME,
        () -> bystander.call(FrameType.PUBLISH_TIMESTAMP, b -> b.writeInt(10).writeByte(1)));
    MetaServiceProbe.expect(ErrorCode.BAD_FORMAT,
        () -> bystander.call(FrameType.PUBLISH_TIMESTAMP, b -> b.writeInt(70)
            .writeBytes(new byte[70])));
    MetaServiceProbe.expect(ErrorCode.BAD_FRAME,
        () -> bystander.call(FrameType.PUBLISH_TIMESTAMP, b -> { }));
    assertBystanderServed();
  }

  /**
   * Sends {@code bytes} on a raw socket (after a HELLO when {@code hello}), then reads frames
   * until an ERROR with requestId 0, returns its code, and checks the server closes.
   */
  private ErrorCode sendRaw(byte[] bytes, boolean hello) throws IOException {
    try (Socket socket = new Socket(service.address().getAddress(),
        service.address().getPort())) {
      socket.setSoTimeout(10_000);
      if (hello) {
        ByteBuf frame = Unpooled.buffer();
        ByteBuf payload = Unpooled.buffer();
        new Hello(PeerRole.CLIENT, null).writeTo(payload);
        frame.writeInt(9 + payload.readableBytes()).writeByte(FrameType.HELLO.code())
            .writeLong(0).writeBytes(payload);
        socket.getOutputStream().write(frame.array(), 0, frame.readableBytes());
      }
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      while (true) {
        int length = in.readInt();
        int type = in.readUnsignedByte();
        long requestId = in.readLong();
        byte[] payload = in.readNBytes(length - 9);
        if (type == FrameType.ERROR.code() && requestId == 0) {
          assertEquals(-1, readUntilEnd(in), "the server closes after the ERROR");
          return ErrorCode.fromCode(((payload[0] & 0xff) << 8) | (payload[1] & 0xff));
        }
      }
    }
  }

  private static int readUntilEnd(InputStream in) throws IOException {
    int read;
    do {
      read = in.read();
    } while (read >= 0);
    return read;
  }

  private void assertBystanderServed() {
    SigningKey writer = TestData.newKey();
    bystander.claim(writer, "after");
    bystander.publish(TestData.manifest(writer, "t", 1, null));
    assertEquals(1, bystander.tables().heads().size());
  }
}
