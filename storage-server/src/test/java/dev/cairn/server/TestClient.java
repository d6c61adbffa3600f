package dev.cairn.server;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.message.BlobMessages.BlobData;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import dev.cairn.wire.message.BlobMessages.PutBlob;
import dev.cairn.wire.message.BlobMessages.PutOk;
import dev.cairn.wire.rpc.RpcConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A real protocol client for tests: one RpcConnection and the helpers to sign uploads. */
final class TestClient implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final SecureRandom RANDOM = new SecureRandom();

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  final RpcConnection connection;

  TestClient(InetSocketAddress address) {
    connection = RpcConnection.connect(group, address, new Hello(PeerRole.CLIENT, null),
        TIMEOUT);
  }

  static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  static ByteBuf putPayload(SigningKey writer, ContentId id, long signedSize, byte[] bytes) {
    byte[] signature = writer.sign(SignatureDomain.PUT_BLOB, PutBlob.signedMessage(id,
        signedSize));
    return new PutBlob(id, writer.publicKey().toBytes(), signature, Unpooled.wrappedBuffer(bytes))
        .encode(ByteBufAllocator.DEFAULT);
  }

  /** Uploads correctly signed bytes; returns PUT_OK's stored flag. */
  boolean put(SigningKey writer, byte[] bytes) {
    ContentId id = ContentId.of(bytes);
    return call(FrameType.PUT_BLOB, putPayload(writer, id, bytes.length, bytes),
        reply -> PutOk.decode(reply.payload()).stored());
  }

  /** Returns the bytes of a range and checks the size prefix. */
  byte[] get(ContentId id, long offset, long length, long expectedBlobSize) {
    ByteBuf request = Unpooled.buffer();
    new GetBlob(id, offset, length).writeTo(request);
    return call(FrameType.GET_BLOB, request, reply -> {
      long size = BlobData.readBlobSize(reply.payload());
      if (size != expectedBlobSize) {
        throw new AssertionError("blob size " + size + ", expected " + expectedBlobSize);
      }
      byte[] range = new byte[reply.payload().readableBytes()];
      reply.payload().readBytes(range);
      return range;
    });
  }

  <T> T call(FrameType type, ByteBuf payload, Function<Frame, T> decode) {
    Frame reply;
    try {
      reply = connection.call(type, payload, TIMEOUT).get(TIMEOUT.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CairnException cairn) {
        throw cairn;
      }
      throw new AssertionError(e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    try {
      return decode.apply(reply);
    } finally {
      reply.release();
    }
  }

  /** Asserts that the call fails with {@code code} and returns the error. */
  CairnException fails(ErrorCode code, FrameType type, ByteBuf payload) {
    CairnException error = assertThrows(CairnException.class,
        () -> call(type, payload, reply -> reply.type()));
    assertInstanceOf(CairnException.class, error);
    if (error.code() != code) {
      throw new AssertionError("expected " + code + " but got " + error.getMessage(), error);
    }
    return error;
  }

  @Override
  public void close() {
    connection.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
