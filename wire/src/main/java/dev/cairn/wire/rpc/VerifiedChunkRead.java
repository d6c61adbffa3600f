package dev.cairn.wire.rpc;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.message.BlobMessages.ChunkData;
import dev.cairn.wire.message.BlobMessages.GetChunk;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Reads single chunks of one blob from one holder over GET_CHUNK and hands a chunk out only
 * once its proof leads to the chunk root the manifest signs (docs/protocol.md 8.6): the
 * verified chunk read of audits, and of range reads later.
 *
 * <p>The blob's size and chunk root come from a signed manifest; a size no chunk tree covers
 * is BAD_FORMAT here, before anything is asked (the manifest's fault, not a holder's). What a
 * holder can get wrong, and the error it gets (both are {@link VerifiedBlobRead#isLie}):
 * <ul>
 *   <li>it announces another size for the blob than the manifest's, or the chunk and proof do
 *       not lead to the root: BAD_HASH;
 *   <li>it sends a chunk of another length than the chunk has: BAD_FRAME.
 * </ul>
 * A BAD_HASH says "these are not the bytes the writer signed"; whether the writer signed the
 * right root is a separate question, which {@link ChunkAudit} answers before blaming anyone.
 * Failures of the call itself map as {@link Calls} documents (NOT_FOUND, BUSY, IO_ERROR, ...).
 */
public final class VerifiedChunkRead {
  /** Asks one holder for one chunk of a blob and its proof. */
  @FunctionalInterface
  public interface ChunkSource {
    CompletableFuture<ChunkData> read(ContentId id, int chunkIndex);
  }

  private final ChunkSource source;
  private final String holder;
  private final ContentId id;
  private final long blobBytes;
  private final ContentId chunkRoot;
  private final int chunkCount;

  /**
   * Prepares to read chunks of {@code id}, of {@code blobBytes} with chunk tree root {@code
   * chunkRoot} as its manifest says, from {@code source}, named {@code holder} in errors.
   */
  public VerifiedChunkRead(ChunkSource source, String holder, ContentId id, long blobBytes,
      ContentId chunkRoot) {
    this.source = requireNonNull(source, "source");
    this.holder = requireNonNull(holder, "holder");
    this.id = requireNonNull(id, "id");
    this.chunkRoot = requireNonNull(chunkRoot, "chunkRoot");
    this.chunkCount = ChunkTree.chunkCount(blobBytes);
    this.blobBytes = blobBytes;
  }

  /** Returns a source that asks over {@code connection}, each call within {@code timeout}. */
  public static ChunkSource over(RpcConnection connection, Duration timeout) {
    requireNonNull(connection, "connection");
    requireNonNull(timeout, "timeout");
    return (blob, chunkIndex) -> {
      ByteBuf request = Unpooled.buffer(GetChunk.BYTES);
      new GetChunk(blob, chunkIndex).writeTo(request);
      return Exchanges.GET_CHUNK.send(connection, request, timeout);
    };
  }

  /** Returns the number of chunks of the blob. */
  public int chunkCount() {
    return chunkCount;
  }

  /** Returns the verified bytes of chunk {@code chunkIndex}, or the holder's error or lie. */
  public CompletableFuture<byte[]> readAsync(int chunkIndex) {
    if (chunkIndex < 0 || chunkIndex >= chunkCount) {
      throw new IllegalArgumentException("chunk " + chunkIndex + " is outside the "
          + chunkCount + " chunks of blob " + id.toShortHex());
    }
    CompletableFuture<ChunkData> reply;
    try {
      reply = source.read(id, chunkIndex);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Calls.asCairn(e));
    }
    return reply.handle((data, failure) -> {
      if (failure != null) {
        throw Calls.asCairn(failure);
      }
      return check(chunkIndex, data);
    });
  }

  /** Blocking form of {@link #readAsync}: waits for the call's own timeout. */
  public byte[] read(int chunkIndex) {
    return Calls.await(readAsync(chunkIndex));
  }

  private byte[] check(int chunkIndex, ChunkData data) {
    if (data.blobSize() != blobBytes) {
      throw new CairnException(ErrorCode.BAD_HASH, "holder " + holder + " announces blob "
          + id.toShortHex() + " as " + data.blobSize() + " bytes but its manifest says "
          + blobBytes);
    }
    int expected = ChunkTree.chunkLength(blobBytes, chunkIndex);
    if (data.chunk().length != expected) {
      throw new CairnException(ErrorCode.BAD_FRAME, "holder " + holder + " sent "
          + data.chunk().length + " bytes as chunk " + chunkIndex + " of blob "
          + id.toShortHex() + ", which has " + expected);
    }
    if (!ChunkTree.verify(chunkRoot, blobBytes, chunkIndex, data.chunk(), data.proof())) {
      throw new CairnException(ErrorCode.BAD_HASH, "holder " + holder + " sent chunk "
          + chunkIndex + " of blob " + id.toShortHex() + " with a proof that does not lead"
          + " to the manifest's chunk root " + chunkRoot.toShortHex());
    }
    return data.chunk();
  }
}
