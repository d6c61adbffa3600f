package dev.cairn.client.fetch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import dev.cairn.wire.rpc.Responder;
import dev.cairn.wire.rpc.RpcServer;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A protocol fixture, not a model of our server: a tiny storage node on a real {@link
 * RpcServer} that answers GET_BLOB from memory in one of a few misbehaving ways (flipped bytes,
 * a wrong announced size, or a reply held back). PING is answered promptly by RpcServer
 * itself, so a delaying node still looks near.
 */
final class MisbehavingNode implements AutoCloseable {
  enum Mode { FLIP_BYTES, WRONG_SIZE, DELAY }

  private final Mode mode;
  private final long delayMs;
  private final Map<ContentId, byte[]> blobs = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final ScheduledExecutorService delayer = Executors.newSingleThreadScheduledExecutor();
  private final RpcServer server;

  MisbehavingNode(Mode mode, long delayMs) throws InterruptedException {
    this.mode = mode;
    this.delayMs = delayMs;
    byte[] key = SigningKey.generate(new SecureRandom()).publicKey().toBytes();
    server = RpcServer.start("127.0.0.1", 0, new Hello(PeerRole.STORAGE_NODE, key),
        this::handle, RpcServer.Options.defaults());
  }

  InetSocketAddress address() {
    return server.address();
  }

  void store(ContentId id, byte[] bytes) {
    blobs.put(id, bytes.clone());
  }

  long getRequests() {
    return requests.get();
  }

  private void handle(Frame request, Responder responder) {
    if (request.type() != FrameType.GET_BLOB) {
      throw new CairnException(ErrorCode.UNKNOWN_TYPE, "fixture serves GET_BLOB only");
    }
    requests.incrementAndGet();
    GetBlob get = GetBlob.decode(request.payload());
    byte[] blob = blobs.get(get.id());
    if (blob == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "blob " + get.id().toShortHex());
    }
    int from = (int) Math.min(get.offset(), blob.length);
    int to = get.length() == 0 ? blob.length
        : (int) Math.min(blob.length, from + get.length());
    ByteBuf payload = responder.alloc().buffer(8 + to - from);
    payload.writeLong(mode == Mode.WRONG_SIZE ? blob.length + 1 : blob.length);
    payload.writeBytes(blob, from, to - from);
    if (mode == Mode.FLIP_BYTES && to > from) {
      payload.setByte(8, payload.getByte(8) ^ 0x40);
    }
    if (mode == Mode.DELAY) {
      // Scheduled, not slept: the connection's later requests (and PINGs) are not held up.
      delayer.schedule(() -> responder.reply(FrameType.BLOB_DATA, payload), delayMs,
          TimeUnit.MILLISECONDS);
    } else {
      responder.reply(FrameType.BLOB_DATA, payload);
    }
  }

  @Override
  public void close() {
    delayer.shutdownNow();
    server.close();
  }
}
