package dev.cairn.server;

import static java.util.Objects.requireNonNull;

import dev.cairn.server.social.ReaderGate;
import dev.cairn.server.store.BlobStore;
import dev.cairn.server.store.QuotaLedger;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Payloads;
import dev.cairn.wire.message.BlobMessages.BlobData;
import dev.cairn.wire.message.BlobMessages.ChunkData;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import dev.cairn.wire.message.BlobMessages.GetChunk;
import dev.cairn.wire.message.BlobMessages.HasBlobs;
import dev.cairn.wire.message.BlobMessages.HasResult;
import dev.cairn.wire.message.BlobMessages.KeyUsage;
import dev.cairn.wire.message.BlobMessages.ListBlobs;
import dev.cairn.wire.message.BlobMessages.ListResult;
import dev.cairn.wire.message.BlobMessages.PutBlob;
import dev.cairn.wire.message.BlobMessages.PutOk;
import dev.cairn.wire.message.BlobMessages.StatsResult;
import dev.cairn.wire.message.BlobMessages;
import dev.cairn.wire.rpc.RequestHandler;
import dev.cairn.wire.rpc.Responder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultFileRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers the storage node requests of docs/protocol.md section 8.
 *
 * <p>PUT_BLOB runs four gates in a fixed order, each with its own error: the writer's signature
 * over (id, size) must verify (UNAUTHORIZED), the writer key's quota must have room
 * (QUOTA_EXCEEDED), the bytes must hash to the id and fit the capacity (BAD_HASH,
 * CAPACITY_FULL, both from {@link BlobStore#put}), and only then is the key charged. Quota
 * check, store and charge of one key happen under one lock stripe, so concurrent uploads of a
 * key cannot both pass the check and overshoot the quota; uploads of different keys proceed in
 * parallel (save the rare stripe collision).
 *
 * <p>GET_BLOB and HAS_BLOBS first check the blob's file with one stat ({@link
 * BlobStore#checkOnDisk}): a file deleted or truncated behind the donor's back answers
 * NOT_FOUND (GET) or no (HAS) and leaves the index, and one rewritten in place is re-hashed
 * once before it is served. A HAS that answers yes (and a PUT of a blob already held) counts
 * as a writer wanting the blob: its orphan grace starts again ({@link
 * BlobStore#checkWanted}).
 *
 * <p>GET_BLOB sends the range straight from the file with a {@link DefaultFileRegion}
 * (sendfile where the OS has it): nothing is copied through the heap, and the server-wide
 * traffic shaper still counts the region's bytes.
 *
 * <p>GET_CHUNK reads one chunk (at most 64 KiB) from the file and makes its proof from the
 * blob's leaf-hash sidecar ({@link BlobStore#chunkTree}), so its cost follows the bytes sent,
 * which the same shaper limits, and not the blob's size.
 *
 * <p>GET_BLOB and GET_CHUNK first ask the {@link ReaderGate} whether the donor's reader policy
 * admits the connection (NOT_A_CONTRIBUTOR otherwise), and tell it the bytes served, for the
 * reader's receipts.
 */
final class BlobRequestHandler implements RequestHandler {
  /** Lock stripes for per-key quota accounting. */
  private static final int QUOTA_STRIPES = 64;

  private final BlobStore store;
  private final QuotaLedger ledger;
  private final byte[] nodeKey;
  private final Map<String, Long> configuredQuotas;
  private final ServerCounters counters;
  private final ReaderGate gate;
  private final Object[] quotaLocks = new Object[QUOTA_STRIPES];

  BlobRequestHandler(BlobStore store, QuotaLedger ledger, PublicKey nodeKey,
      Map<String, Long> configuredQuotas, ServerCounters counters, ReaderGate gate) {
    this.gate = requireNonNull(gate, "gate");
    this.store = requireNonNull(store, "store");
    this.ledger = requireNonNull(ledger, "ledger");
    this.nodeKey = requireNonNull(nodeKey, "nodeKey").toBytes();
    this.configuredQuotas = Map.copyOf(configuredQuotas);
    this.counters = requireNonNull(counters, "counters");
    for (int i = 0; i < QUOTA_STRIPES; i++) {
      quotaLocks[i] = new Object();
    }
  }

  @Override
  public void handle(Frame request, Responder responder) throws Exception {
    counters.request(request.type());
    ByteBuf payload = request.payload();
    switch (request.type()) {
      case PUT_BLOB -> put(PutBlob.decode(payload), responder);
      case GET_BLOB -> get(GetBlob.decode(payload), responder);
      case GET_CHUNK -> chunk(GetChunk.decode(payload), responder);
      case HAS_BLOBS -> has(HasBlobs.decode(payload), responder);
      case LIST_BLOBS -> list(ListBlobs.decode(payload), responder);
      case STATS -> {
        Payloads.requireFullyRead(payload, "STATS payload");
        stats(responder);
      }
      default -> throw new CairnException(ErrorCode.UNKNOWN_TYPE, "a storage node does not "
          + "answer " + request.type() + "; it serves PUT_BLOB, GET_BLOB, GET_CHUNK, HAS_BLOBS, "
          + "LIST_BLOBS and STATS");
    }
  }

  private void put(PutBlob put, Responder responder) throws Exception {
    ContentId id = put.id();
    long size = put.blob().readableBytes();
    String writer = authorise(put, size);
    // The blob's bytes as the socket read them (FrameDecoder keeps them uncopied): merging
    // them into one buffer here would copy every upload once more.
    boolean stored = storeCharged(writer, id, put.blob().nioBuffers());
    counters.received(size);
    ByteBuf reply = responder.alloc().buffer(1);
    new PutOk(stored).writeTo(reply);
    responder.reply(FrameType.PUT_OK, reply);
  }

  /**
   * Stores a blob charged to {@code writer} after the quota gate: QUOTA_EXCEEDED, then the
   * store's BAD_HASH and CAPACITY_FULL. Writers' PUTs and anti-entropy pulls both come here.
   */
  boolean storeCharged(String writer, ContentId id, ByteBuffer data) throws IOException {
    return storeCharged(writer, id, new ByteBuffer[] {data});
  }

  /** {@link #storeCharged(String, ContentId, ByteBuffer)} for a blob in several buffers. */
  boolean storeCharged(String writer, ContentId id, ByteBuffer[] data) throws IOException {
    long size = 0;
    for (ByteBuffer piece : data) {
      size += piece.remaining();
    }
    synchronized (quotaLocks[Math.floorMod(writer.hashCode(), QUOTA_STRIPES)]) {
      ledger.check(writer, id, size);
      boolean stored = store.put(id, data);
      ledger.charge(writer, id, size);
      return stored;
    }
  }

  /** Deletes a held blob and releases what it was charged; false if not held. */
  boolean dropCharged(ContentId id) throws IOException {
    long size = store.size(id);
    if (size < 0 || !store.delete(id)) {
      return false;
    }
    ledger.release(id, size);
    return true;
  }

  /**
   * Deletes a held blob nobody stored or asked for since {@code cutoffMillis} and releases what
   * it was charged; false if it was wanted since or is not held.
   */
  boolean dropOrphan(ContentId id, long cutoffMillis) throws IOException {
    long size = store.deleteIfUnwantedSince(id, cutoffMillis);
    if (size < 0) {
      return false;
    }
    ledger.release(id, size);
    return true;
  }

  /** Returns the writer's fingerprint if its signature covers this id and size. */
  private static String authorise(PutBlob put, long size) {
    PublicKey writer;
    try {
      writer = PublicKey.fromBytes(put.writerKey());
    } catch (CairnException notAKey) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "the upload's writer key is not an "
          + "Ed25519 public key: " + notAKey.detail());
    }
    byte[] signed = PutBlob.signedMessage(put.id(), size);
    if (!writer.verify(SignatureDomain.PUT_BLOB, signed, put.signature())) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, "the upload signature does not verify: "
          + "writer key " + writer.fingerprint() + " did not sign blob " + put.id().toHex()
          + " of " + size + " bytes");
    }
    return writer.fingerprint().toString();
  }

  private void get(GetBlob get, Responder responder) throws IOException {
    gate.check(responder); // the reader policy first: a refused reader learns nothing
    // One stat: a file deleted, truncated or rewritten behind our back answers NOT_FOUND here
    // instead of a closed connection when sendfile finds it missing.
    long size = store.checkOnDisk(get.id()) ? store.size(get.id()) : -1;
    if (size < 0) {
      throw new CairnException(ErrorCode.NOT_FOUND,
          "blob " + get.id().toHex() + " is not stored here");
    }
    long offset = Math.min(get.offset(), size);
    long available = size - offset;
    long count = get.length() == 0 ? available : Math.min(get.length(), available);
    if (count > BlobData.rangeBytesMax()) {
      throw new CairnException(ErrorCode.BAD_FRAME, "a range of " + count + " bytes does not "
          + "fit one BLOB_DATA frame; request ranges of at most " + BlobData.rangeBytesMax()
          + " bytes (blob " + get.id().toShortHex() + " is " + size + " bytes)");
    }
    FileChannel channel = open(get.id(), size);
    counters.served(count);
    gate.served(responder, count);
    // The region owns the open channel: a delete after this point cannot cut the reply short.
    responder.replyWithFile(FrameType.BLOB_DATA, BlobData.prefix(responder.alloc(), size),
        new DefaultFileRegion(channel, offset, count));
  }

  /** Opens the blob's file, checking it still has the size served; NOT_FOUND otherwise. */
  private FileChannel open(ContentId id, long size) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(store.file(id), StandardOpenOption.READ);
    } catch (NoSuchFileException gone) {
      store.checkOnDisk(id); // drops it from the index and reports the loss
      throw new CairnException(ErrorCode.NOT_FOUND, "blob " + id.toHex() + " is not stored here");
    }
    if (channel.size() != size) {
      channel.close();
      store.checkOnDisk(id);
      throw new CairnException(ErrorCode.NOT_FOUND, "blob " + id.toHex() + " is not stored here");
    }
    return channel;
  }

  private void chunk(GetChunk get, Responder responder) throws IOException {
    gate.check(responder);
    long size = store.size(get.id());
    if (size < 0) {
      throw new CairnException(ErrorCode.NOT_FOUND,
          "blob " + get.id().toHex() + " is not stored here");
    }
    int count = ChunkTree.chunkCount(size);
    if (get.chunkIndex() >= count) {
      throw new CairnException(ErrorCode.BAD_FRAME, "chunk " + get.chunkIndex() + " is past"
          + " the end of blob " + get.id().toShortHex() + ", which has " + count + " chunks");
    }
    ChunkTree tree = store.chunkTree(get.id());
    byte[] chunk = store.readRange(get.id(), ChunkTree.chunkOffset(get.chunkIndex()),
        ChunkTree.chunkLength(size, get.chunkIndex()));
    ChunkData data = new ChunkData(size, chunk, tree.proof(get.chunkIndex()));
    ByteBuf reply = responder.alloc().buffer(data.encodedBytes());
    data.writeTo(reply);
    counters.served(chunk.length);
    gate.served(responder, chunk.length);
    responder.reply(FrameType.CHUNK_DATA, reply);
  }

  private void has(HasBlobs has, Responder responder) {
    List<Boolean> held = new ArrayList<>(has.ids().size());
    for (ContentId id : has.ids()) {
      // One stat each: a yes means the file is there. A yes also restarts the blob's orphan
      // grace, so a publish resumed late still has the whole grace to publish its head.
      held.add(store.checkWanted(id));
    }
    ByteBuf reply = responder.alloc().buffer(4 + held.size());
    new HasResult(held).writeTo(reply);
    responder.reply(FrameType.HAS_RESULT, reply);
  }

  private void list(ListBlobs list, Responder responder) {
    // One more than asked tells whether there is more, without a second pass.
    List<ContentId> ids = store.list(list.after(), list.limit() + 1);
    boolean more = ids.size() > list.limit();
    if (more) {
      ids = ids.subList(0, list.limit());
    }
    ByteBuf reply = responder.alloc().buffer(4 + ids.size() * ContentId.BYTES + 1);
    new ListResult(ids, more).writeTo(reply);
    responder.reply(FrameType.LIST_RESULT, reply);
  }

  private void stats(Responder responder) {
    ByteBuf reply = responder.alloc().buffer();
    statsResult().writeTo(reply);
    responder.reply(FrameType.STATS_RESULT, reply);
  }

  /**
   * Returns the STATS answer: every key that uses space or has a configured quota, the largest
   * users first, cut at {@link BlobMessages#KEYS_MAX}.
   */
  StatsResult statsResult() {
    Map<String, Long> used = new TreeMap<>(ledger.usage());
    configuredQuotas.keySet().forEach(key -> used.putIfAbsent(key, 0L));
    List<KeyUsage> keys = new ArrayList<>(used.size());
    used.forEach((key, bytes) -> keys.add(new KeyUsage(key, bytes, ledger.quotaBytes(key))));
    keys.sort(Comparator.comparingLong(KeyUsage::usedBytes).reversed()
        .thenComparing(KeyUsage::fingerprint));
    List<KeyUsage> shown = keys.size() > BlobMessages.KEYS_MAX
        ? keys.subList(0, BlobMessages.KEYS_MAX) : keys;
    return new StatsResult(nodeKey, store.capacityBytes(), store.usedBytes(), store.count(),
        counters.receivedBytes(), counters.servedBytes(), shown);
  }
}
