package dev.cairn.client.net;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.message.BlobMessages.BlobData;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import dev.cairn.wire.message.BlobMessages.HasBlobs;
import dev.cairn.wire.message.BlobMessages.HasResult;
import dev.cairn.wire.message.BlobMessages.PutBlob;
import dev.cairn.wire.message.BlobMessages.PutOk;
import dev.cairn.wire.message.BlobMessages.StatsResult;
import dev.cairn.wire.rpc.Responder;
import dev.cairn.wire.rpc.RpcServer;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-test storage node speaking the wire protocol over a real {@link RpcServer}: blobs in
 * memory, PUT signatures and hashes checked, one quota for every writer. It can be told to
 * corrupt what it serves, and to serve at most a few bytes per reply (to exercise ranges).
 */
public final class FakeStorageNode implements AutoCloseable {
  private final SigningKey key = SigningKey.generate(new SecureRandom());
  private final Map<ContentId, byte[]> blobs = new ConcurrentHashMap<>();
  private final AtomicLong receivedBytes = new AtomicLong();
  private final long quotaBytes;
  private final RpcServer server;
  private volatile boolean corrupt;

  public FakeStorageNode(long quotaBytes) throws InterruptedException {
    this.quotaBytes = quotaBytes;
    server = RpcServer.start("127.0.0.1", 0, new Hello(PeerRole.STORAGE_NODE,
        key.publicKey().toBytes()), this::handle, RpcServer.Options.defaults());
  }

  public InetSocketAddress address() {
    return server.address();
  }

  public byte[] nodeKey() {
    return key.publicKey().toBytes();
  }

  public boolean holds(ContentId id) {
    return blobs.containsKey(id);
  }

  public int blobCount() {
    return blobs.size();
  }

  public long receivedBytes() {
    return receivedBytes.get();
  }

  public void store(ContentId id, byte[] bytes) {
    blobs.put(id, bytes.clone());
  }

  public void corrupt(boolean on) {
    corrupt = on;
  }

  private void handle(Frame request, Responder responder) {
    switch (request.type()) {
      case PUT_BLOB -> put(PutBlob.decode(request.payload()), responder);
      case GET_BLOB -> get(GetBlob.decode(request.payload()), responder);
      case HAS_BLOBS -> {
        List<Boolean> held = new ArrayList<>();
        HasBlobs.decode(request.payload()).ids().forEach(id -> held.add(blobs.containsKey(id)));
        ByteBuf payload = responder.alloc().buffer();
        new HasResult(held).writeTo(payload);
        responder.reply(FrameType.HAS_RESULT, payload);
      }
      case STATS -> {
        ByteBuf payload = responder.alloc().buffer();
        new StatsResult(nodeKey(), quotaBytes, usedBytes(), blobs.size(), receivedBytes.get(),
            0, List.of()).writeTo(payload);
        responder.reply(FrameType.STATS_RESULT, payload);
      }
      default -> throw new CairnException(ErrorCode.UNKNOWN_TYPE, "not here: " + request.type());
    }
  }

  private long usedBytes() {
    return blobs.values().stream().mapToLong(b -> b.length).sum();
  }

  private synchronized void put(PutBlob put, Responder responder) {
    byte[] blob = new byte[put.blob().readableBytes()];
    put.blob().readBytes(blob);
    receivedBytes.addAndGet(blob.length);
    PublicKey.fromBytes(put.writerKey()).checkSignature(SignatureDomain.PUT_BLOB,
        PutBlob.signedMessage(put.id(), blob.length), put.signature(), "PUT_BLOB");
    put.id().verify(blob);
    boolean stored = !blobs.containsKey(put.id());
    if (stored && usedBytes() + blob.length > quotaBytes) {
      throw new CairnException(ErrorCode.QUOTA_EXCEEDED, "writer would use "
          + (usedBytes() + blob.length) + " of its " + quotaBytes + " bytes quota");
    }
    blobs.put(put.id(), blob);
    ByteBuf payload = responder.alloc().buffer(1);
    new PutOk(stored).writeTo(payload);
    responder.reply(FrameType.PUT_OK, payload);
  }

  private void get(GetBlob get, Responder responder) {
    byte[] blob = blobs.get(get.id());
    if (blob == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "blob " + get.id().toShortHex());
    }
    long end = get.length() == 0 ? blob.length : Math.min(blob.length,
        get.offset() + get.length());
    int from = (int) Math.min(get.offset(), blob.length);
    int to = (int) end;
    ByteBuf payload = responder.alloc().buffer();
    payload.writeLong(blob.length);
    payload.writeBytes(blob, from, to - from);
    if (corrupt && payload.readableBytes() > BlobData.PREFIX_BYTES) {
      payload.setByte(BlobData.PREFIX_BYTES, payload.getByte(BlobData.PREFIX_BYTES) ^ 1);
    }
    responder.reply(FrameType.BLOB_DATA, payload);
  }

  private boolean closed;

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      server.close();
    }
  }
}
