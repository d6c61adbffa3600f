package dev.cairn.wire.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.message.BlobMessages.BlobRange;
import dev.cairn.wire.message.BlobMessages.ChunkData;
import dev.cairn.wire.rpc.ChunkAudit.Result;
import dev.cairn.wire.rpc.ChunkAudit.Verdict;
import dev.cairn.wire.rpc.VerifiedBlobRead.RangeGate;
import dev.cairn.wire.rpc.VerifiedBlobRead.RangeSource;
import dev.cairn.wire.rpc.VerifiedChunkRead.ChunkSource;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The audit rule of docs/protocol.md 8.7 against holders that answer from given bytes: who is
 * blamed for a failed proof depends on the blob's true bytes, never on the proof alone.
 */
class ChunkAuditTest {
  private static final int CHUNKS = 5;
  private final byte[] blob = randomBytes(CHUNKS * ChunkTree.CHUNK_BYTES - 100, 1);
  private final ContentId id = ContentId.of(blob);
  private final BatchRef honestRef = ref(blob.length, ChunkTree.root(blob));

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private BatchRef ref(long size, ContentId root) {
    return new BatchRef(id, size, 1, root, List.of(new ColumnStats(0, 1L, 1L)));
  }

  /** A holder answering GET_CHUNK from {@code held}, with proofs from {@code held}'s tree. */
  private static ChunkSource chunksOf(byte[] held) {
    ChunkTree tree = ChunkTree.of(held);
    return (blobId, index) -> {
      int from = index * ChunkTree.CHUNK_BYTES;
      byte[] chunk = Arrays.copyOfRange(held, from,
          Math.min(held.length, from + ChunkTree.CHUNK_BYTES));
      return CompletableFuture.completedFuture(
          new ChunkData(held.length, chunk, tree.proof(index)));
    };
  }

  /** A holder answering GET_BLOB from {@code held}. */
  private static RangeSource rangesOf(byte[] held) {
    return (blobId, offset, length) -> {
      int from = (int) Math.min(offset, held.length);
      int to = length == 0 ? held.length : (int) Math.min(held.length, from + length);
      return CompletableFuture.completedFuture(
          new BlobRange(held.length, Arrays.copyOfRange(held, from, to)));
    };
  }

  private static <T> CompletableFuture<T> failing(ErrorCode code) {
    return CompletableFuture.failedFuture(new CairnException(code, "as the test says"));
  }

  private Result audit(ChunkSource chunks, RangeSource ranges, BatchRef batch, int index)
      throws InterruptedException {
    return ChunkAudit.run(chunks,
        ChunkAudit.trueTreeFromHolder(ranges, "holder", id, RangeGate.OPEN), "holder",
        batch, index);
  }

  @Test
  void anHonestHolderPassesEveryChunk() throws Exception {
    for (int i = 0; i < CHUNKS; i++) {
      Result result = audit(chunksOf(blob), rangesOf(blob), honestRef, i);
      assertEquals(Verdict.PASSED, result.verdict(), result.detail());
      assertFalse(result.verdict().blamesHolder());
    }
  }

  @Test
  void garbageOfTheSameLengthFailsAndTheEscalationConfirmsIt() throws Exception {
    byte[] garbage = randomBytes(blob.length, 2);
    Result result = audit(chunksOf(garbage), rangesOf(garbage), honestRef, 3);
    assertEquals(Verdict.FAILED, result.verdict(), result.detail());
    assertTrue(result.verdict().blamesHolder());
  }

  @Test
  void aHolderWithTheRightBytesThatServesAWrongChunkFails() throws Exception {
    byte[] garbage = randomBytes(blob.length, 3);
    Result result = audit(chunksOf(garbage), rangesOf(blob), honestRef, 0);
    assertEquals(Verdict.FAILED, result.verdict(), result.detail());
  }

  @Test
  void aWrongRootInTheManifestIsTheWritersFaultNotTheHolders() throws Exception {
    BatchRef lyingRoot = ref(blob.length, ChunkTree.root(randomBytes(blob.length, 4)));
    Result result = audit(chunksOf(blob), rangesOf(blob), lyingRoot, 2);
    assertEquals(Verdict.MANIFEST_WRONG, result.verdict(), result.detail());
    assertFalse(result.verdict().blamesHolder());
  }

  @Test
  void aWrongSizeInTheManifestIsTheWritersFaultNotTheHolders() throws Exception {
    BatchRef lyingSize = ref(blob.length - 1, ChunkTree.root(blob));
    Result result = audit(chunksOf(blob), rangesOf(blob), lyingSize, 1);
    assertEquals(Verdict.MANIFEST_WRONG, result.verdict(), result.detail());
    BatchRef absurd = ref(Long.MAX_VALUE, ChunkTree.root(blob));
    assertEquals(Verdict.MANIFEST_WRONG,
        audit(chunksOf(blob), rangesOf(blob), absurd, 0).verdict());
  }

  @Test
  void aLocalTrueTreeDecidesWithoutAskingTheHolderAgain() throws Exception {
    byte[] garbage = randomBytes(blob.length, 5);
    Result failed = ChunkAudit.run(chunksOf(garbage), () -> ChunkTree.of(blob), "holder",
        honestRef, 4);
    assertEquals(Verdict.FAILED, failed.verdict());
    Result undecided = ChunkAudit.run(chunksOf(garbage), () -> {
      throw new CairnException(ErrorCode.IO_ERROR, "our own copy is unreadable");
    }, "holder", honestRef, 4);
    assertEquals(Verdict.NO_ANSWER, undecided.verdict(), "a local failure blames nobody");
  }

  @Test
  void notFoundIsMissingAndSilenceIsNoAnswer() throws Exception {
    Result missing = audit((b, i) -> failing(ErrorCode.NOT_FOUND), rangesOf(blob),
        honestRef, 0);
    assertEquals(Verdict.MISSING, missing.verdict());
    assertTrue(missing.verdict().blamesHolder());
    for (ErrorCode code : new ErrorCode[] {ErrorCode.BUSY, ErrorCode.IO_ERROR,
        ErrorCode.UNKNOWN_TYPE}) {
      Result silent = audit((b, i) -> failing(code), rangesOf(blob), honestRef, 0);
      assertEquals(Verdict.NO_ANSWER, silent.verdict(), code.name());
      assertFalse(silent.verdict().blamesHolder());
    }
  }

  @Test
  void malformedAnswersAreLiesAndAHolderThatThenHidesTheBlobFails() throws Exception {
    ChunkSource shortChunk = (b, i) -> CompletableFuture.completedFuture(
        new ChunkData(blob.length, new byte[10], List.of()));
    RangeSource hides = (b, offset, length) -> failing(ErrorCode.NOT_FOUND);
    Result result = audit(shortChunk, hides, honestRef, 1);
    assertEquals(Verdict.FAILED, result.verdict(), result.detail());
    Result busyEscalation = audit(shortChunk, (b, o, l) -> failing(ErrorCode.BUSY),
        honestRef, 1);
    assertEquals(Verdict.NO_ANSWER, busyEscalation.verdict(), busyEscalation.detail());
  }

  @Test
  void theVerifiedReadHandsOutOnlyProvenChunks() {
    VerifiedChunkRead read = new VerifiedChunkRead(chunksOf(blob), "holder", id, blob.length,
        honestRef.chunkRoot());
    assertEquals(CHUNKS, read.chunkCount());
    assertArrayEquals(Arrays.copyOfRange(blob, 0, ChunkTree.CHUNK_BYTES), read.read(0));
    assertThrows(IllegalArgumentException.class, () -> read.read(CHUNKS));
    VerifiedChunkRead wrong = new VerifiedChunkRead(chunksOf(randomBytes(blob.length, 6)),
        "holder", id, blob.length, honestRef.chunkRoot());
    CairnException e = assertThrows(CairnException.class, () -> wrong.read(2));
    assertEquals(ErrorCode.BAD_HASH, e.code());
    assertTrue(VerifiedBlobRead.isLie(e.code()));
    assertThrows(IllegalArgumentException.class, () -> ChunkAudit.run(chunksOf(blob),
        () -> ChunkTree.of(blob), "holder", ref(blob.length, null), 0));
  }
}
