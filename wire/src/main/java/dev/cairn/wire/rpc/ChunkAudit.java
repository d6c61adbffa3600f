package dev.cairn.wire.rpc;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.message.BlobMessages.BlobData;
import dev.cairn.wire.message.BlobMessages.BlobRange;
import dev.cairn.wire.message.BlobMessages;
import dev.cairn.wire.rpc.VerifiedBlobRead.RangeGate;
import dev.cairn.wire.rpc.VerifiedBlobRead.RangeSource;
import dev.cairn.wire.rpc.VerifiedChunkRead.ChunkSource;
import java.util.Random;

/**
 * One storage audit of one holder: "send chunk c of blob b", checked against the chunk root of
 * the signed manifest, and the one rule every auditor (donors auditing their peers, the
 * metadata service) uses to turn the answer into a {@link Verdict} (docs/protocol.md 8.7).
 *
 * <p>A failed proof alone cannot tell "the holder has the wrong bytes" from "the writer signed
 * a wrong root (or size)", and a writer could sign wrong roots to get honest donors blamed. So
 * a failed proof escalates once to the blob's true bytes, those that hash to its content id,
 * which nobody can fake: if their chunk tree has the manifest's root and size, the holder
 * served something else ({@link Verdict#FAILED}); if not, the manifest is at fault and the
 * holder is not blamed ({@link Verdict#MANIFEST_WRONG}). A donor auditor holds the blob and
 * takes the true bytes from its own store; the metadata service fetches them from the audited
 * holder ({@link #trueTreeFromHolder}), so a holder that cannot produce them is FAILED too.
 * The escalation costs one blob read, and only when a proof fails.
 */
public final class ChunkAudit {
  /** What an audit found. */
  public enum Verdict {
    /** The chunk and its proof lead to the manifest's root: the holder has the chunk. */
    PASSED,
    /** The holder served bytes that are not the signed blob's: counts against it. */
    FAILED,
    /** The holder said NOT_FOUND for a blob it claims: counts against it. */
    MISSING,
    /**
     * No verdict: the holder did not answer in time or at all (BUSY, IO_ERROR, any other
     * error), or the true bytes could not be had to judge a failed proof. Not evidence by
     * itself; an auditor may retry later.
     */
    NO_ANSWER,
    /** The blob's true bytes do not have the manifest's chunk root or size: the writer's fault. */
    MANIFEST_WRONG;

    /** Returns true for the verdicts that say the holder does not hold what it claims. */
    public boolean blamesHolder() {
      return this == FAILED || this == MISSING;
    }
  }

  /**
   * The outcome of one audit.
   *
   * @param verdict what was found
   * @param chunkIndex the chunk asked for
   * @param detail a sentence for logs and reports, naming the holder and the blob
   */
  public record Result(Verdict verdict, int chunkIndex, String detail) {
    public Result {
      requireNonNull(verdict, "verdict");
      requireNonNull(detail, "detail");
    }
  }

  /** Where an audit takes the blob's true chunk tree from after a proof failed. */
  @FunctionalInterface
  public interface TrueTree {
    /**
     * Returns the chunk tree of the bytes that hash to the blob's id; a CairnException when
     * they cannot be had. Its code decides the verdict: a lie ({@link VerifiedBlobRead#isLie})
     * or NOT_FOUND blames the holder, anything else is NO_ANSWER, so a local failure must
     * throw IO_ERROR (never BAD_HASH) to avoid blaming the holder for it.
     */
    ChunkTree compute() throws InterruptedException;
  }

  private ChunkAudit() {}

  /** Returns a chunk index of a blob of {@code blobBytes}, uniformly from {@code random}. */
  public static int randomChunk(long blobBytes, Random random) {
    return random.nextInt(ChunkTree.chunkCount(blobBytes));
  }

  /**
   * Audits {@code holder} for chunk {@code chunkIndex} of {@code batch}, which must have a
   * chunk root, asking through {@code chunks} and escalating to {@code trueTree} on a failed
   * proof. Blocks for at most the source's call timeout plus the escalation.
   */
  public static Result run(ChunkSource chunks, TrueTree trueTree, String holder,
      BatchRef batch, int chunkIndex) throws InterruptedException {
    requireNonNull(batch, "batch");
    if (batch.chunkRoot() == null) {
      throw new IllegalArgumentException("batch " + batch.id().toShortHex()
          + " has no chunk root (a format 1 manifest) and cannot be audited");
    }
    return run(chunks, trueTree, holder, batch.id(), batch.byteSize(), batch.chunkRoot(),
        chunkIndex);
  }

  /**
   * Audits like {@link #run(ChunkSource, TrueTree, String, BatchRef, int)} for a blob given by
   * its id, the size and the chunk root its manifest signs.
   */
  public static Result run(ChunkSource chunks, TrueTree trueTree, String holder, ContentId id,
      long blobBytes, ContentId chunkRoot, int chunkIndex) throws InterruptedException {
    requireNonNull(trueTree, "trueTree");
    requireNonNull(id, "id");
    requireNonNull(chunkRoot, "chunkRoot");
    String what = "chunk " + chunkIndex + " of blob " + id.toShortHex() + " on " + holder;
    if (blobBytes < 0 || blobBytes > BlobMessages.BLOB_BYTES_MAX) {
      return new Result(Verdict.MANIFEST_WRONG, chunkIndex, what + ": the manifest lists the"
          + " blob as " + blobBytes + " bytes, which no donor stores");
    }
    VerifiedChunkRead read = new VerifiedChunkRead(chunks, holder, id, blobBytes, chunkRoot);
    try {
      read.read(chunkIndex);
      return new Result(Verdict.PASSED, chunkIndex, what + " passed");
    } catch (CairnException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        return new Result(Verdict.MISSING, chunkIndex, what + ": the holder says it does not"
            + " have the blob (" + e.detail() + ")");
      }
      if (!VerifiedBlobRead.isLie(e.code())) {
        return new Result(Verdict.NO_ANSWER, chunkIndex, what + ": no answer (" + e + ")");
      }
      return judgeFailedProof(trueTree, blobBytes, chunkRoot, id, chunkIndex, what, e);
    }
  }

  private static Result judgeFailedProof(TrueTree trueTree, long blobBytes,
      ContentId chunkRoot, ContentId id, int chunkIndex, String what,
      CairnException proofFailure) throws InterruptedException {
    ChunkTree truth;
    try {
      truth = trueTree.compute();
    } catch (CairnException e) {
      boolean holderFault = VerifiedBlobRead.isLie(e.code()) || e.code() == ErrorCode.NOT_FOUND;
      return new Result(holderFault ? Verdict.FAILED : Verdict.NO_ANSWER, chunkIndex, what
          + ": " + proofFailure.detail() + "; and the blob's true bytes could not be had ("
          + e + ")");
    }
    if (truth.blobBytes() != blobBytes || !truth.root().equals(chunkRoot)) {
      return new Result(Verdict.MANIFEST_WRONG, chunkIndex, what + ": the manifest is wrong,"
          + " not the holder: the bytes of blob " + id.toShortHex() + " are "
          + truth.blobBytes() + " bytes with chunk root " + truth.root().toShortHex()
          + ", the manifest says " + blobBytes + " bytes and " + chunkRoot.toShortHex());
    }
    return new Result(Verdict.FAILED, chunkIndex, what + " failed: " + proofFailure.detail());
  }

  /**
   * Returns a {@link TrueTree} that reads the whole blob from the audited holder over {@code
   * ranges}, through {@code gate}, and keeps it only if it hashes to {@code id}. It takes the
   * size the holder announces (bounded by {@link BlobMessages#BLOB_BYTES_MAX}), not the
   * manifest's, so a manifest with a wrong size cannot get an honest holder blamed.
   */
  public static TrueTree trueTreeFromHolder(RangeSource ranges, String holder, ContentId id,
      RangeGate gate) {
    requireNonNull(ranges, "ranges");
    requireNonNull(holder, "holder");
    requireNonNull(id, "id");
    requireNonNull(gate, "gate");
    return () -> {
      gate.beforeRange(1);
      BlobRange probe = Calls.await(ranges.read(id, 0, 1));
      if (probe.blobSize() > BlobMessages.BLOB_BYTES_MAX) {
        throw new CairnException(ErrorCode.BAD_HASH, "holder " + holder + " announces blob "
            + id.toShortHex() + " as " + probe.blobSize() + " bytes, more than a blob has");
      }
      byte[] bytes = new VerifiedBlobRead(ranges, holder, id, probe.blobSize(),
          BlobData.rangeBytesMax()).read(gate);
      return ChunkTree.of(bytes);
    };
  }
}
