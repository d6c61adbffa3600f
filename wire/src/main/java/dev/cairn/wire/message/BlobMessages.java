package dev.cairn.wire.message;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.Frames;
import dev.cairn.wire.frame.Payloads;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Payloads of the storage node requests and replies (docs/protocol.md, "Storage node
 * messages"). Each record writes itself with {@code writeTo} and reads itself with a static
 * {@code decode} that consumes the whole payload and refuses trailing bytes.
 */
public final class BlobMessages {
  /** Most ids one HAS_BLOBS or LIST_BLOBS may carry. */
  public static final int IDS_MAX = 65_536;
  /** Largest blob one PUT_BLOB carries: what fits a frame beside the request's fields. */
  public static final int BLOB_BYTES_MAX = 32 * 1024 * 1024;
  /** Most per-key usage rows one STATS_RESULT carries. */
  public static final int KEYS_MAX = 4096;
  /** Longest key fingerprint in a STATS_RESULT. */
  public static final int FINGERPRINT_BYTES_MAX = 64;

  private BlobMessages() {}

  /**
   * PUT_BLOB: {@code bytes[32] id, bytes[32] writerKey, bytes[64] signature, u32 length,
   * bytes[length] blob}. The signature is the writer's, in domain PUT_BLOB, over {@link
   * #signedMessage}: it binds the upload to these exact bytes, so it cannot be replayed for
   * other data. {@code blob} is a slice of the frame's payload, valid while the frame is.
   */
  public record PutBlob(ContentId id, byte[] writerKey, byte[] signature, ByteBuf blob) {
    public PutBlob {
      requireNonNull(id, "id");
      Fields.requireLength(writerKey, Fields.KEY_BYTES, "writerKey");
      Fields.requireLength(signature, Fields.SIGNATURE_BYTES, "signature");
      requireNonNull(blob, "blob");
    }

    /** Returns what the writer signs: {@code bytes[32] id, u64 size}. */
    public static byte[] signedMessage(ContentId id, long size) {
      byte[] message = new byte[ContentId.BYTES + 8];
      System.arraycopy(id.toBytes(), 0, message, 0, ContentId.BYTES);
      for (int i = 0; i < 8; i++) {
        message[ContentId.BYTES + i] = (byte) (size >>> (56 - 8 * i));
      }
      return message;
    }

    /** Returns the payload: the fields in a small buffer, then the blob itself, not copied. */
    public ByteBuf encode(ByteBufAllocator allocator) {
      ByteBuf head = allocator.buffer(ContentId.BYTES + Fields.KEY_BYTES
          + Fields.SIGNATURE_BYTES + 4);
      Fields.writeId(head, id);
      head.writeBytes(writerKey);
      head.writeBytes(signature);
      head.writeInt(blob.readableBytes());
      CompositeByteBuf payload = allocator.compositeBuffer(2);
      payload.addComponents(true, head, blob.retainedDuplicate());
      return payload;
    }

    public static PutBlob decode(ByteBuf payload) {
      ContentId id = Fields.readId(payload, "PUT_BLOB id");
      byte[] writerKey = Fields.readKey(payload, "PUT_BLOB writerKey");
      byte[] signature = Fields.readSignature(payload, "PUT_BLOB signature");
      long length = Fields.readU32(payload, "PUT_BLOB length");
      if (length > BLOB_BYTES_MAX || length > payload.readableBytes()) {
        throw new CairnException(ErrorCode.BAD_FRAME, "PUT_BLOB length " + length
            + " exceeds the maximum or the bytes sent");
      }
      ByteBuf blob = payload.readSlice((int) length);
      Payloads.requireFullyRead(payload, "PUT_BLOB payload");
      return new PutBlob(id, writerKey, signature, blob);
    }
  }

  /** PUT_OK: {@code u8 stored}: 1 if this upload stored the blob, 0 if it was already held. */
  public record PutOk(boolean stored) {
    public void writeTo(ByteBuf buffer) {
      buffer.writeByte(stored ? 1 : 0);
    }

    public static PutOk decode(ByteBuf payload) {
      boolean stored = Payloads.readBoolean(payload, "PUT_OK stored");
      Payloads.requireFullyRead(payload, "PUT_OK payload");
      return new PutOk(stored);
    }
  }

  /**
   * GET_BLOB: {@code bytes[32] id, u64 offset, u64 length}; length 0 means to the end. A range
   * past the end is answered with the bytes that exist.
   */
  public record GetBlob(ContentId id, long offset, long length) {
    public GetBlob {
      requireNonNull(id, "id");
      if (offset < 0 || length < 0) {
        throw new CairnException(ErrorCode.BAD_FRAME, "GET_BLOB offset and length must be >= 0");
      }
    }

    public void writeTo(ByteBuf buffer) {
      Fields.writeId(buffer, id);
      buffer.writeLong(offset);
      buffer.writeLong(length);
    }

    public static GetBlob decode(ByteBuf payload) {
      ContentId id = Fields.readId(payload, "GET_BLOB id");
      long offset = Payloads.readU64(payload, "GET_BLOB offset");
      long length = Payloads.readU64(payload, "GET_BLOB length");
      Payloads.requireFullyRead(payload, "GET_BLOB payload");
      return new GetBlob(id, offset, length);
    }
  }

  /**
   * BLOB_DATA: {@code u64 blobSize, bytes[...] range}: the whole blob's size, then the bytes of
   * the requested range. A server writes the 8-byte prefix and then the file region, so the
   * range is sent from disk without a copy.
   */
  public static final class BlobData {
    /** Size of the prefix before the range. */
    public static final int PREFIX_BYTES = 8;

    private BlobData() {}

    /** Returns the {@code u64 blobSize} prefix. */
    public static ByteBuf prefix(ByteBufAllocator allocator, long blobSize) {
      ByteBuf prefix = allocator.buffer(PREFIX_BYTES, PREFIX_BYTES);
      prefix.writeLong(blobSize);
      return prefix;
    }

    /** Reads the prefix and returns the blob's total size; the range remains readable. */
    public static long readBlobSize(ByteBuf payload) {
      long size = Payloads.readU64(payload, "BLOB_DATA blobSize");
      if (size < 0 || payload.readableBytes() > size) {
        throw new CairnException(ErrorCode.BAD_FRAME, "BLOB_DATA sends more than its blob size");
      }
      return size;
    }

    /** Returns the largest range one BLOB_DATA frame may carry. */
    public static int rangeBytesMax() {
      return Frames.PAYLOAD_BYTES_MAX - PREFIX_BYTES;
    }
  }

  /**
   * A BLOB_DATA reply read into the heap: the whole blob's size and the range's bytes.
   *
   * @param blobSize the size the sender announces for the whole blob
   * @param bytes the range as sent
   */
  public record BlobRange(long blobSize, byte[] bytes) {
    /** Reads a BLOB_DATA payload (see {@link BlobData}). */
    public static BlobRange decode(ByteBuf payload) {
      long size = BlobData.readBlobSize(payload);
      byte[] bytes = new byte[payload.readableBytes()];
      payload.readBytes(bytes);
      return new BlobRange(size, bytes);
    }
  }

  /**
   * GET_CHUNK: {@code bytes[32] id, u32 chunkIndex}: one chunk of a blob with the proof that it
   * belongs to the blob's chunk tree (an audit challenge, or a verified range read). An index
   * above 2^31-1 can be in no blob's tree and is BAD_FRAME here.
   */
  public record GetChunk(ContentId id, int chunkIndex) {
    /** Size of the payload. */
    public static final int BYTES = ContentId.BYTES + 4;

    public GetChunk {
      requireNonNull(id, "id");
      if (chunkIndex < 0) {
        throw new CairnException(ErrorCode.BAD_FRAME, "GET_CHUNK chunk index must be >= 0");
      }
    }

    public void writeTo(ByteBuf buffer) {
      Fields.writeId(buffer, id);
      buffer.writeInt(chunkIndex);
    }

    public static GetChunk decode(ByteBuf payload) {
      ContentId id = Fields.readId(payload, "GET_CHUNK id");
      long index = Fields.readU32(payload, "GET_CHUNK chunkIndex");
      Payloads.requireFullyRead(payload, "GET_CHUNK payload");
      if (index > Integer.MAX_VALUE) {
        throw new CairnException(ErrorCode.BAD_FRAME, "GET_CHUNK chunk index " + index
            + " is beyond the chunks any blob has");
      }
      return new GetChunk(id, (int) index);
    }
  }

  /**
   * CHUNK_DATA: {@code u64 blobSize, u32 length, bytes[length] chunk, u8 proofCount,
   * proofCount × bytes[32] hash}: the size of the whole blob as the holder has it, the chunk
   * (at most {@link ChunkTree#CHUNK_BYTES}) and its audit path (at most {@link
   * ChunkTree#PROOF_HASHES_MAX} hashes, leaf level first). Nothing here is trusted: {@link
   * dev.cairn.wire.rpc.VerifiedChunkRead} checks it against the manifest's chunk root.
   */
  public record ChunkData(long blobSize, byte[] chunk, List<ContentId> proof) {
    public ChunkData {
      requireNonNull(chunk, "chunk");
      proof = List.copyOf(proof);
      if (blobSize < 0 || chunk.length > ChunkTree.CHUNK_BYTES
          || proof.size() > ChunkTree.PROOF_HASHES_MAX) {
        throw new IllegalArgumentException("CHUNK_DATA needs a size >= 0, at most "
            + ChunkTree.CHUNK_BYTES + " chunk bytes and " + ChunkTree.PROOF_HASHES_MAX
            + " proof hashes");
      }
    }

    /** Returns the encoded size, for allocating the reply. */
    public int encodedBytes() {
      return 8 + 4 + chunk.length + 1 + proof.size() * ContentId.BYTES;
    }

    public void writeTo(ByteBuf buffer) {
      buffer.writeLong(blobSize);
      buffer.writeInt(chunk.length);
      buffer.writeBytes(chunk);
      buffer.writeByte(proof.size());
      proof.forEach(hash -> Fields.writeId(buffer, hash));
    }

    public static ChunkData decode(ByteBuf payload) {
      long blobSize = Payloads.readU64(payload, "CHUNK_DATA blobSize");
      if (blobSize < 0) {
        throw new CairnException(ErrorCode.BAD_FRAME, "CHUNK_DATA blobSize exceeds 2^63-1");
      }
      byte[] chunk = Fields.readSized(payload, ChunkTree.CHUNK_BYTES, "CHUNK_DATA chunk");
      int count = Payloads.readU8(payload, "CHUNK_DATA proofCount");
      if (count > ChunkTree.PROOF_HASHES_MAX
          || (long) count * ContentId.BYTES > payload.readableBytes()) {
        throw new CairnException(ErrorCode.BAD_FRAME, "CHUNK_DATA proof count " + count
            + " exceeds " + ChunkTree.PROOF_HASHES_MAX + " or the bytes sent");
      }
      List<ContentId> proof = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        proof.add(Fields.readId(payload, "CHUNK_DATA proof hash"));
      }
      Payloads.requireFullyRead(payload, "CHUNK_DATA payload");
      return new ChunkData(blobSize, chunk, proof);
    }
  }

  /** HAS_BLOBS: {@code u32 count, count × bytes[32] id}. */
  public record HasBlobs(List<ContentId> ids) {
    public HasBlobs {
      ids = List.copyOf(ids);
      if (ids.size() > IDS_MAX) {
        throw new IllegalArgumentException("at most " + IDS_MAX + " ids per HAS_BLOBS");
      }
    }

    public void writeTo(ByteBuf buffer) {
      Fields.writeIds(buffer, ids);
    }

    public static HasBlobs decode(ByteBuf payload) {
      List<ContentId> ids = Fields.readIds(payload, IDS_MAX, "HAS_BLOBS ids");
      Payloads.requireFullyRead(payload, "HAS_BLOBS payload");
      return new HasBlobs(ids);
    }
  }

  /** HAS_RESULT: {@code u32 count, count × u8 held}, in the order of the request's ids. */
  public record HasResult(List<Boolean> held) {
    public HasResult {
      held = List.copyOf(held);
    }

    public void writeTo(ByteBuf buffer) {
      buffer.writeInt(held.size());
      held.forEach(h -> buffer.writeByte(h ? 1 : 0));
    }

    public static HasResult decode(ByteBuf payload) {
      int count = Fields.readCount(payload, IDS_MAX, 1, "HAS_RESULT held");
      List<Boolean> held = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        held.add(Payloads.readBoolean(payload, "HAS_RESULT held"));
      }
      Payloads.requireFullyRead(payload, "HAS_RESULT payload");
      return new HasResult(held);
    }
  }

  /**
   * LIST_BLOBS: {@code u8 hasCursor, [bytes[32] after], u32 limit}: ids held, in unsigned byte
   * order, greater than {@code after}.
   */
  public record ListBlobs(ContentId after, int limit) {
    public ListBlobs {
      if (limit < 1 || limit > IDS_MAX) {
        throw new CairnException(ErrorCode.BAD_FRAME, "LIST_BLOBS limit must be 1.." + IDS_MAX);
      }
    }

    public void writeTo(ByteBuf buffer) {
      buffer.writeByte(after == null ? 0 : 1);
      if (after != null) {
        Fields.writeId(buffer, after);
      }
      buffer.writeInt(limit);
    }

    public static ListBlobs decode(ByteBuf payload) {
      boolean hasCursor = Payloads.readBoolean(payload, "LIST_BLOBS hasCursor");
      ContentId after = hasCursor ? Fields.readId(payload, "LIST_BLOBS after") : null;
      long limit = Fields.readU32(payload, "LIST_BLOBS limit");
      Payloads.requireFullyRead(payload, "LIST_BLOBS payload");
      if (limit > IDS_MAX) {
        throw new CairnException(ErrorCode.BAD_FRAME, "LIST_BLOBS limit must be 1.." + IDS_MAX);
      }
      return new ListBlobs(after, (int) limit);
    }
  }

  /** LIST_RESULT: {@code u32 count, count × bytes[32] id, u8 more}. */
  public record ListResult(List<ContentId> ids, boolean more) {
    public ListResult {
      ids = List.copyOf(ids);
    }

    public void writeTo(ByteBuf buffer) {
      Fields.writeIds(buffer, ids);
      buffer.writeByte(more ? 1 : 0);
    }

    public static ListResult decode(ByteBuf payload) {
      List<ContentId> ids = Fields.readIds(payload, IDS_MAX, "LIST_RESULT ids");
      boolean more = Payloads.readBoolean(payload, "LIST_RESULT more");
      Payloads.requireFullyRead(payload, "LIST_RESULT payload");
      return new ListResult(ids, more);
    }
  }

  /** One writer key's use of a donor, in a STATS_RESULT. */
  public record KeyUsage(String fingerprint, long usedBytes, long quotaBytes) {}

  /**
   * STATS_RESULT: {@code bytes[32] nodeKey, u64 capacityBytes, u64 usedBytes, u64 blobCount,
   * u64 receivedBytes, u64 servedBytes, u32 keyCount, keyCount × (string fingerprint, u64
   * usedBytes, u64 quotaBytes)}. STATS itself has an empty payload.
   */
  public record StatsResult(byte[] nodeKey, long capacityBytes, long usedBytes, long blobCount,
      long receivedBytes, long servedBytes, List<KeyUsage> keys) {
    public StatsResult {
      Fields.requireLength(nodeKey, Fields.KEY_BYTES, "nodeKey");
      keys = List.copyOf(keys);
    }

    public void writeTo(ByteBuf buffer) {
      buffer.writeBytes(nodeKey);
      buffer.writeLong(capacityBytes);
      buffer.writeLong(usedBytes);
      buffer.writeLong(blobCount);
      buffer.writeLong(receivedBytes);
      buffer.writeLong(servedBytes);
      buffer.writeInt(keys.size());
      for (KeyUsage key : keys) {
        Payloads.writeString(buffer, key.fingerprint(), FINGERPRINT_BYTES_MAX);
        buffer.writeLong(key.usedBytes());
        buffer.writeLong(key.quotaBytes());
      }
    }

    public static StatsResult decode(ByteBuf payload) {
      byte[] nodeKey = Fields.readKey(payload, "STATS_RESULT nodeKey");
      long capacity = Payloads.readU64(payload, "STATS_RESULT capacityBytes");
      long used = Payloads.readU64(payload, "STATS_RESULT usedBytes");
      long blobs = Payloads.readU64(payload, "STATS_RESULT blobCount");
      long received = Payloads.readU64(payload, "STATS_RESULT receivedBytes");
      long served = Payloads.readU64(payload, "STATS_RESULT servedBytes");
      int count = Fields.readCount(payload, KEYS_MAX, 2 + 16, "STATS_RESULT keys");
      List<KeyUsage> keys = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String fingerprint = Payloads.readString(payload, FINGERPRINT_BYTES_MAX, "fingerprint");
        keys.add(new KeyUsage(fingerprint, Payloads.readU64(payload, "usedBytes"),
            Payloads.readU64(payload, "quotaBytes")));
      }
      Payloads.requireFullyRead(payload, "STATS_RESULT payload");
      return new StatsResult(nodeKey, capacity, used, blobs, received, served, keys);
    }
  }
}
