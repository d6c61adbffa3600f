package dev.cairn.calcite.runtime;

import static java.util.Objects.requireNonNull;

import dev.cairn.calcite.cache.BatchCache;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.BatchDecoder;
import dev.cairn.wire.batch.DecodedBatch;
import dev.cairn.wire.manifest.BatchRef;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.duckdb.DuckDBConnection;

/**
 * Makes the batches one query needs resident in DuckDB and pins them until the query ends.
 *
 * <p>A batch already resident is only pinned. One that another session is loading is waited
 * for. The rest are read from the cache directory (re-verified) or fetched from donors: up to
 * {@code parallelism} fetches run at once, and since a fetch only starts when a slot is free
 * and a slot is freed only after its blob is loaded, at most that many fetched blobs wait in
 * memory. This thread decodes each verified blob and loads it into DuckDB in arrival order.
 */
final class BatchLoader {
  private record Fetched(BatchRef batch, byte[] bytes, CairnException failure) { }

  private final CairnRuntime runtime;
  private final DuckDBConnection connection;
  private final BlobSource source;
  private final HolderDirectory holders;
  private final SessionCounters counters;
  private final int parallelism;
  /** Every pin this query holds, released by {@link #unpinAll}. */
  private final List<ContentId> pinned = new ArrayList<>();

  BatchLoader(CairnRuntime runtime, DuckDBConnection connection, BlobSource source,
      HolderDirectory holders, SessionCounters counters, int parallelism) {
    this.runtime = requireNonNull(runtime, "runtime");
    this.connection = requireNonNull(connection, "connection");
    this.source = requireNonNull(source, "source");
    this.holders = requireNonNull(holders, "holders");
    this.counters = requireNonNull(counters, "counters");
    this.parallelism = parallelism;
  }

  /** Makes every batch in {@code batches} resident and pinned. */
  void ensureResident(TableSchema schema, int replicas, List<BatchRef> batches)
      throws SQLException, InterruptedException {
    Map<ContentId, BatchRef> wanted = new LinkedHashMap<>();
    batches.forEach(b -> wanted.putIfAbsent(b.id(), b));
    for (int attempt = 0; !wanted.isEmpty(); attempt++) {
      BatchCache cache = runtime.cache;
      for (ContentId id : cache.pinResident(wanted.keySet())) {
        pinned.add(id);
        wanted.remove(id);
      }
      List<BatchRef> mine = new ArrayList<>();
      List<CompletableFuture<Void>> others = new ArrayList<>();
      for (BatchRef b : wanted.values()) {
        CompletableFuture<Void> ours = new CompletableFuture<>();
        CompletableFuture<Void> existing = runtime.loading.putIfAbsent(b.id(), ours);
        if (existing == null) {
          mine.add(b);
        } else {
          others.add(existing);
        }
      }
      loadOwned(schema, replicas, mine);
      mine.forEach(b -> wanted.remove(b.id()));
      for (CompletableFuture<Void> other : others) {
        other.handle((v, e) -> null).join();
      }
      if (attempt > 3 && !wanted.isEmpty()) {
        throw new CairnException(ErrorCode.BUSY, "batches were evicted while loading: the"
            + " cache (cache.size) is too small for the queries running at once");
      }
    }
  }

  private void loadOwned(TableSchema schema, int replicas, List<BatchRef> mine)
      throws SQLException, InterruptedException {
    List<BatchRef> toFetch = new ArrayList<>();
    try {
      for (BatchRef b : mine) {
        byte[] bytes = runtime.cache.readFromDisk(b.id()).orElse(null);
        if (bytes == null) {
          toFetch.add(b);
        } else {
          loadVerified(schema, b, bytes, false);
          counters.diskBatches.incrementAndGet();
        }
      }
      fetchAndLoad(schema, replicas, toFetch);
    } finally {
      for (BatchRef b : mine) {
        CompletableFuture<Void> f = runtime.loading.remove(b.id());
        if (f != null) {
          f.complete(null);
        }
      }
    }
  }

  private void fetchAndLoad(TableSchema schema, int replicas, List<BatchRef> batches)
      throws SQLException, InterruptedException {
    if (batches.isEmpty()) {
      return;
    }
    List<ContentId> ids = batches.stream().map(BatchRef::id).toList();
    Map<ContentId, List<InetSocketAddress>> where = holders.holders(replicas, ids);
    BlockingQueue<Fetched> arrived = new LinkedBlockingQueue<>();
    Iterator<BatchRef> next = batches.iterator();
    int running = 0;
    CairnException failure = null;
    while (running > 0 || (next.hasNext() && failure == null)) {
      while (failure == null && running < parallelism && next.hasNext()) {
        BatchRef b = next.next();
        List<InetSocketAddress> from = where.getOrDefault(b.id(), List.of());
        runtime.fetchThreads.execute(() -> arrived.add(fetch(b, from)));
        running++;
      }
      Fetched f = arrived.take();
      running--;
      if (f.failure() != null) {
        failure = failure == null ? f.failure() : failure;
        continue;
      }
      if (failure == null) {
        loadVerified(schema, f.batch(), f.bytes(), true);
        counters.fetchedBatches.incrementAndGet();
        counters.fetchedBytes.addAndGet(f.bytes().length);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private Fetched fetch(BatchRef batch, List<InetSocketAddress> from) {
    try {
      return new Fetched(batch, source.fetch(batch.id(), batch.byteSize(), from), null);
    } catch (CairnException e) {
      return new Fetched(batch, null, e);
    } catch (RuntimeException e) {
      return new Fetched(batch, null, new CairnException(ErrorCode.INTERNAL,
          "fetching batch " + batch.id().toShortHex() + " failed: " + e, e));
    }
  }

  /**
   * Decodes bytes already checked to hash to the batch id (by the blob source, or by the cache
   * directory's read), loads them, admits and pins the batch.
   */
  private void loadVerified(TableSchema schema, BatchRef batch, byte[] bytes, boolean keep)
      throws SQLException {
    long accounted;
    try (DecodedBatch decoded = BatchDecoder.decode(bytes, schema, runtime.allocator)) {
      accounted = DuckDbStore.load(connection, runtime.allocator, batch.id(), schema, decoded);
    }
    runtime.cache.admit(batch.id(), accounted);
    pinned.add(batch.id());
    if (keep) {
      runtime.cache.writeToDisk(batch.id(), bytes);
    }
  }

  /** Releases every pin this query took. */
  void unpinAll() {
    runtime.cache.unpin(pinned);
    pinned.clear();
  }
}
