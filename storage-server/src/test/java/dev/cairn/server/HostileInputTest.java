package dev.cairn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.ErrorMessage;
import dev.cairn.wire.frame.FrameType;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw bytes on the donor's port: each bad stream gets one ERROR and a close, nobody else. */
class HostileInputTest {
  @TempDir Path data;
  private StorageServer server;
  private TestClient bystander;

  @BeforeEach
  void start() {
    server = StorageServer.start(StorageServerConfig.defaults(data).withListen("127.0.0.1", 0)
        .withStorage(1L << 20, 1L << 20, Map.of()));
    bystander = new TestClient(server.address());
  }

  @AfterEach
  void stop() {
    bystander.close();
    server.close();
  }

  @Test
  void garbageGetsBadFrameAndClose() throws Exception {
    assertConnectionError(new byte[] {0, 0, 0, 3, 'x', 'y', 'z'}, ErrorCode.BAD_FRAME);
  }

  @Test
  void hugeLengthGetsFrameTooLargeAndClose() throws Exception {
    assertConnectionError(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
        ErrorCode.FRAME_TOO_LARGE);
  }

  @Test
  void textProtocolGetsAnErrorAndClose() throws Exception {
    assertConnectionError("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(),
        ErrorCode.FRAME_TOO_LARGE);
  }

  private void assertConnectionError(byte[] garbage, ErrorCode expected) throws Exception {
    try (Socket socket = new Socket(server.address().getAddress(), server.address().getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(garbage);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      RawFrame hello = RawFrame.read(in);
      assertEquals(FrameType.HELLO.code(), hello.type, "the server greets first");
      RawFrame error = RawFrame.read(in);
      assertEquals(FrameType.ERROR.code(), error.type);
      assertEquals(0, error.requestId, "a connection error has requestId 0");
      assertEquals(expected, ErrorMessage.decode(Unpooled.wrappedBuffer(error.payload)).code());
      assertEquals(-1, in.read(), "the server closes after the error");
    }
    byte[] bytes = TestClient.randomBytes(3000);
    assertTrue(bystander.put(SigningKey.generate(TestClient.RANDOM), bytes));
    assertArrayEquals(bytes, bystander.get(ContentId.of(bytes), 0, 0, bytes.length));
  }

  /** A frame read straight off a socket. */
  private record RawFrame(int type, long requestId, byte[] payload) {
    static RawFrame read(DataInputStream in) throws IOException {
      int length;
      try {
        length = in.readInt();
      } catch (EOFException e) {
        throw new AssertionError("connection closed before a frame", e);
      }
      assertTrue(length >= 9 && length < 1 << 16, "length " + length);
      int type = in.readUnsignedByte();
      long requestId = in.readLong();
      byte[] payload = new byte[length - 9];
      in.readFully(payload);
      return new RawFrame(type, requestId, payload);
    }
  }
}
