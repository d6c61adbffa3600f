package dev.cairn.cluster;

import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Frames;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * An adversary for tests: one client (one source address) that opens many connections to a
 * Cairn server, says HELLO on each and then stays idle, the way a single process once took a
 * whole cluster offline. Records what the server answered first on each: its HELLO
 * (admitted) or an ERROR (refused, typically BUSY). Holds at most {@link #CONNECTIONS_MAX}
 * sockets; {@link #close} closes them all.
 */
public final class IdleConnectionFlood implements AutoCloseable {
  /** Most connections one flood opens. */
  public static final int CONNECTIONS_MAX = 4096;
  /** How long to wait for the server's first frame on one connection. */
  private static final int FIRST_FRAME_WAIT_MS = 5_000;

  private final List<Socket> sockets = new ArrayList<>();
  private int admitted;
  private int refused;
  private int unanswered;
  private int busyWithRetryHint;

  private IdleConnectionFlood() {}

  /**
   * Opens {@code count} connections from {@code source} (a local address such as 127.0.0.2,
   * so the flood is one client distinct from the test's others) to {@code target}, sends a
   * HELLO on each and reads the server's first frame.
   */
  public static IdleConnectionFlood open(InetAddress source, InetSocketAddress target,
      int count) throws IOException {
    if (count < 0 || count > CONNECTIONS_MAX) {
      throw new IllegalArgumentException("count must be 0.." + CONNECTIONS_MAX);
    }
    byte[] hello = helloBytes();
    IdleConnectionFlood flood = new IdleConnectionFlood();
    try {
      for (int i = 0; i < count; i++) {
        Socket socket = new Socket();
        flood.sockets.add(socket);
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(target, FIRST_FRAME_WAIT_MS);
        socket.getOutputStream().write(hello);
      }
      for (Socket socket : flood.sockets) {
        flood.classify(socket);
      }
      return flood;
    } catch (IOException | RuntimeException e) {
      flood.close();
      throw e;
    }
  }

  private void classify(Socket socket) throws IOException {
    socket.setSoTimeout(FIRST_FRAME_WAIT_MS);
    DataInputStream in = new DataInputStream(socket.getInputStream());
    try {
      int length = in.readInt();
      int type = in.readUnsignedByte();
      in.readLong(); // request id
      int payloadBytes = length - Frames.TYPE_AND_REQUEST_ID_BYTES;
      if (payloadBytes < 0 || payloadBytes > 8192) {
        unanswered++;
        return;
      }
      byte[] payload = new byte[payloadBytes];
      in.readFully(payload);
      if (type == FrameType.HELLO.code()) {
        admitted++;
        return;
      }
      refused++;
      int code = payloadBytes >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
      if (type == FrameType.ERROR.code() && code == ErrorCode.BUSY.code() && payloadBytes >= 4) {
        int messageBytes = ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
        busyWithRetryHint += payloadBytes == 2 + 2 + messageBytes + 4 ? 1 : 0;
      }
    } catch (SocketTimeoutException | java.io.EOFException e) {
      unanswered++; // closed or silent: neither admitted nor told why
    }
  }

  private static byte[] helloBytes() {
    EmbeddedChannel channel = new EmbeddedChannel();
    Frames.addCodec(channel.pipeline());
    channel.writeOutbound(new Hello(PeerRole.CLIENT, null).toFrame(ByteBufAllocator.DEFAULT));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (ByteBuf part = channel.readOutbound(); part != null; part = channel.readOutbound()) {
      byte[] chunk = new byte[part.readableBytes()];
      part.readBytes(chunk);
      part.release();
      bytes.writeBytes(chunk);
    }
    channel.finishAndReleaseAll();
    return bytes.toByteArray();
  }

  /** Returns how many connections the server admitted (answered with its HELLO). */
  public int admitted() {
    return admitted;
  }

  /** Returns how many connections the server refused with an ERROR frame first. */
  public int refused() {
    return refused;
  }

  /** Returns how many refusals were BUSY frames carrying a retry hint. */
  public int busyWithRetryHint() {
    return busyWithRetryHint;
  }

  /** Returns how many connections got no frame at all (closed silently or timed out). */
  public int unanswered() {
    return unanswered;
  }

  @Override
  public void close() {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing an adversary's socket: nothing to report.
      }
    }
    sockets.clear();
  }
}
