package dev.cairn.client.publish;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.input.TableInput;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.BatchEncoder;
import dev.cairn.wire.batch.EncodedBatch;
import dev.cairn.wire.erasure.ReedSolomon;
import dev.cairn.wire.erasure.Stripe;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.RedundancyPolicy;
import dev.cairn.wire.message.BlobMessages;
import dev.cairn.wire.rpc.Calls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Reads groups of rows on the calling thread and decodes, encodes and uploads them on worker
 * threads: a CSV group is raw text the worker parses ({@link TableInput.DeferredGroup}), so
 * parsing, the costliest step, runs on every worker at once while the calling thread only cuts
 * the input at record boundaries.
 *
 * <p>A worker hands each encoded batch to an upload thread and goes on with the next group. At
 * most {@link #GROUPS_PER_WORKER} groups per worker are read but not yet uploaded, so
 * memory stays bounded by a few batches whatever the input size (each blob is held once and
 * shared by its R uploads, or held with its k + m shards while they upload). The first
 * failure stops reading; groups not yet started are
 * dropped, and the run waits for the ones in flight before it throws, so no Arrow memory
 * outlives it. Batch order in the result is input order.
 */
final class BatchPipeline {
  /** Groups read ahead per worker: one being uploaded, one being encoded. */
  static final int GROUPS_PER_WORKER = 2;

  /** What a run produced. */
  record Outcome(TableSchema schema, List<BatchRef> batches, long uploadedBytes) {}

  private final PublishRequest request;
  /** The donors to upload to; {@code relist} asks the services again when a batch runs short. */
  private final DonorSet donors;
  private final Supplier<DonorSet> relist;
  /** Until when ({@link System#nanoTime}) a short batch may keep asking for donors. */
  private final long relistUntilNanos;
  private final ProgressListener progress;
  private final AtomicReference<CairnException> fatal = new AtomicReference<>();
  private final AtomicInteger confirmed = new AtomicInteger();
  private final AtomicLong uploaded = new AtomicLong();
  private final AtomicLong rowsDecoded = new AtomicLong();

  BatchPipeline(PublishRequest request, DonorSet donors, Supplier<DonorSet> relist,
      long relistUntilNanos, ProgressListener progress) {
    this.request = requireNonNull(request, "request");
    this.donors = requireNonNull(donors, "donors");
    this.relist = requireNonNull(relist, "relist");
    this.relistUntilNanos = relistUntilNanos;
    this.progress = requireNonNull(progress, "progress");
  }

  Outcome run(InputSequence inputs) {
    int workersCount = request.parallelism();
    ExecutorService workers = Executors.newFixedThreadPool(workersCount, daemon("encode"));
    // Uploads wait on their donors on threads of their own, so a worker parses the next group
    // meanwhile; the permits bound how many groups are anywhere in flight.
    ExecutorService uploads = Executors.newFixedThreadPool(workersCount * GROUPS_PER_WORKER,
        daemon("upload-batch"));
    ExecutorService attempts = Executors.newFixedThreadPool(
        workersCount * GROUPS_PER_WORKER * request.redundancy().donorsPerBatch(),
        daemon("upload"));
    ReplicaUploader uploader = new ReplicaUploader(donors, relist, relistUntilNanos,
        request.redundancy().donorsPerBatch(),
        request.key(), attempts, progress);
    BatchEncoder encoder = new BatchEncoder(inputs.allocator());
    // A group without rows (a CSV chunk of blank lines, the header alone) makes no batch; a
    // group too large for one erasure-coded batch makes several (see blobBytesMax).
    List<CompletableFuture<List<BatchRef>>> batches = new ArrayList<>();
    try {
      readAll(inputs, workers, uploads, encoder, uploader, batches);
    } catch (RuntimeException e) {
      fatal.compareAndSet(null, Calls.asCairn(e));
    } finally {
      for (CompletableFuture<List<BatchRef>> batch : batches) {
        batch.exceptionally(e -> null).join();
      }
      workers.shutdownNow();
      uploads.shutdownNow();
      attempts.shutdownNow();
    }
    if (fatal.get() != null) {
      throw fatal.get();
    }
    List<BatchRef> refs = new ArrayList<>(batches.size());
    for (CompletableFuture<List<BatchRef>> batch : batches) {
      refs.addAll(batch.join());
    }
    return new Outcome(inputs.schema(), refs, uploaded.get());
  }

  private void readAll(InputSequence inputs, ExecutorService workers, ExecutorService uploads,
      BatchEncoder encoder, ReplicaUploader uploader,
      List<CompletableFuture<List<BatchRef>>> batches) {
    Semaphore permits = new Semaphore(request.parallelism() * GROUPS_PER_WORKER);
    while (fatal.get() == null) {
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CairnException(ErrorCode.INTERNAL, "interrupted while publishing");
      }
      TableInput.DeferredGroup group;
      try {
        group = inputs.nextDeferred(request.batchTargetBytes());
      } catch (RuntimeException e) {
        permits.release();
        throw e;
      }
      if (group == null) {
        permits.release();
        return;
      }
      progress.rowsRead(rowsDecoded.get(), inputs.bytesRead());
      batches.add(CompletableFuture.supplyAsync(
          () -> decodeAndEncode(inputs.schema(), group, encoder), workers)
          .thenApplyAsync(encoded -> upload(encoded, uploader), uploads)
          .whenComplete((made, failure) -> {
            permits.release();
            if (failure != null) {
              fatal.compareAndSet(null, Calls.asCairn(failure));
            } else {
              for (int i = 0; i < made.size(); i++) {
                progress.batchConfirmed(confirmed.incrementAndGet());
              }
            }
          }));
    }
  }

  /**
   * Decodes the group's rows on this worker and encodes them: no batch if it has none, more
   * than one if it encodes to more than {@link #blobBytesMax}.
   */
  private List<EncodedBatch> decodeAndEncode(TableSchema schema, TableInput.DeferredGroup group,
      BatchEncoder encoder) {
    CairnException stop = fatal.get();
    if (stop != null) {
      group.discard();
      throw stop;
    }
    List<VectorSchemaRoot> roots = group.decode();
    if (roots.isEmpty()) {
      return List.of();
    }
    try {
      for (VectorSchemaRoot root : roots) {
        rowsDecoded.addAndGet(root.getRowCount());
      }
      List<EncodedBatch> out = new ArrayList<>(1);
      encodeWithin(schema, roots, encoder, blobBytesMax(), out);
      return out;
    } finally {
      roots.forEach(VectorSchemaRoot::close);
    }
  }

  /**
   * The most bytes one encoded batch may have: what a storage node takes, and for erasure
   * coding also k × {@link Stripe#AUDITED_SHARD_BYTES_MAX}, so that every shard can be audited
   * whole (docs/protocol.md 4.8, "Audits").
   */
  long blobBytesMax() {
    RedundancyPolicy policy = request.redundancy();
    return policy.isErasure()
        ? Math.min(BlobMessages.BLOB_BYTES_MAX, Stripe.auditableBlobBytesMax(policy.dataShards()))
        : BlobMessages.BLOB_BYTES_MAX;
  }

  /**
   * Encodes {@code roots} as one batch if it fits in {@code max} bytes, else halves the rows
   * and encodes each half the same way, appending the batches to {@code out} in row order.
   * Erasure-coded batches are cut so; a whole-copy batch that does not fit is BAD_FORMAT, as
   * before, since a smaller batch target fixes it and copies have no shard bound.
   */
  private void encodeWithin(TableSchema schema, List<VectorSchemaRoot> roots,
      BatchEncoder encoder, long max, List<EncodedBatch> out) {
    EncodedBatch encoded = encoder.encode(schema, roots);
    if (encoded.size() <= max) {
      out.add(encoded);
      return;
    }
    long rows = roots.stream().mapToLong(VectorSchemaRoot::getRowCount).sum();
    if (!request.redundancy().isErasure() || rows < 2) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "a batch of " + rows + " rows encoded to "
          + encoded.size() + " bytes, more than " + max + " (" + limitReason()
          + "); use a smaller batch target");
    }
    List<VectorSchemaRoot> first = new ArrayList<>();
    List<VectorSchemaRoot> second = new ArrayList<>();
    try {
      halve(roots, rows / 2, first, second);
      encodeWithin(schema, first, encoder, max, out);
      encodeWithin(schema, second, encoder, max, out);
    } finally {
      first.forEach(VectorSchemaRoot::close);
      second.forEach(VectorSchemaRoot::close);
    }
  }

  private String limitReason() {
    return request.redundancy().isErasure()
        ? "a storage node takes at most " + BlobMessages.BLOB_BYTES_MAX + " bytes and every"
            + " shard at most " + Stripe.AUDITED_SHARD_BYTES_MAX
        : "a storage node takes at most " + BlobMessages.BLOB_BYTES_MAX + " bytes";
  }

  /**
   * Puts slices (new roots the caller closes) of the first {@code firstRows} rows of {@code
   * roots} into {@code first} and of the rest into {@code second}.
   */
  private static void halve(List<VectorSchemaRoot> roots, long firstRows,
      List<VectorSchemaRoot> first, List<VectorSchemaRoot> second) {
    long left = firstRows;
    for (VectorSchemaRoot root : roots) {
      int count = root.getRowCount();
      int head = (int) Math.max(0, Math.min(count, left));
      if (head > 0) {
        first.add(root.slice(0, head));
      }
      if (head < count) {
        second.add(root.slice(head, count - head));
      }
      left -= head;
    }
  }

  /** Puts each encoded batch on its donors (or its shards); blocks this upload thread. */
  private List<BatchRef> upload(List<EncodedBatch> encoded, ReplicaUploader uploader) {
    List<BatchRef> refs = new ArrayList<>(encoded.size());
    for (EncodedBatch batch : encoded) {
      refs.add(upload(batch, uploader));
    }
    return refs;
  }

  /** Puts an encoded batch on its donors (or its shards); blocks this upload thread. */
  private BatchRef upload(EncodedBatch encoded, ReplicaUploader uploader) {
    CairnException stop = fatal.get();
    if (stop != null) {
      throw stop;
    }
    try {
      if (request.redundancy().isErasure()) {
        return uploadStripe(encoded, uploader);
      }
      uploaded.addAndGet(uploader.upload(encoded.id(), encoded.bytes()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CairnException(ErrorCode.INTERNAL, "interrupted while uploading");
    }
    return new BatchRef(encoded.id(), encoded.size(), encoded.rowCount(), encoded.chunkRoot(),
        encoded.columnStats());
  }

  /**
   * Cuts the blob into its k + m shards, stores each as an ordinary content-addressed blob on
   * its own node, and returns the batch listing the shard ids. No chunk root: no node holds
   * the whole blob to be chunk-audited (docs/protocol.md 4.1, format 3).
   */
  private BatchRef uploadStripe(EncodedBatch encoded, ReplicaUploader uploader)
      throws InterruptedException {
    RedundancyPolicy policy = request.redundancy();
    byte[][] shards = Stripe.cut(encoded.bytes(),
        ReedSolomon.of(policy.dataShards(), policy.parityShards()));
    List<ReplicaUploader.Slot> slots = new ArrayList<>(shards.length);
    List<ContentId> ids = new ArrayList<>(shards.length);
    for (byte[] shard : shards) {
      ContentId id = ContentId.of(shard);
      ids.add(id);
      slots.add(new ReplicaUploader.Slot(id, shard, encoded.id()));
    }
    uploaded.addAndGet(uploader.uploadDistinct(slots, "batch " + encoded.id().toShortHex()));
    return new BatchRef(encoded.id(), encoded.size(), encoded.rowCount(), null,
        encoded.columnStats(), ids);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "cairn-publish-" + name + "-"
          + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
