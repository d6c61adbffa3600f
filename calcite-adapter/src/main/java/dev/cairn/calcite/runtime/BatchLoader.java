package dev.cairn.calcite.runtime;

import static java.util.Objects.requireNonNull;

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
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.duckdb.DuckDBConnection;

/**
 * Makes the columns one query needs of the batches it needs resident in DuckDB, and pins those
 * batches until the query ends.
 *
 * <p>A batch with the needed columns resident is only pinned. One that another session is
 * loading is waited for, then looked at again. For the rest this loader owns the load: the
 * verified blob comes from memory (kept by the cache for adding columns), the cache directory
 * (re-verified) or donors, and only the missing columns are decoded and loaded. Up to
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

  /** Makes {@code columns} of every batch in {@code batches} resident, and pins them. */
  void ensureResident(TableSchema schema, int replicas, List<BatchRef> batches, BitSet columns)
      throws SQLException, InterruptedException {
    Map<ContentId, BatchRef> wanted = new LinkedHashMap<>();
    batches.forEach(b -> wanted.putIfAbsent(b.id(), b));
    for (int attempt = 0; !wanted.isEmpty(); attempt++) {
      for (Iterator<ContentId> it = wanted.keySet().iterator(); it.hasNext(); ) {
        ContentId id = it.next();
        if (pinIfComplete(id, columns)) {
          it.remove();
        }
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
      loadOwned(schema, replicas, mine, columns);
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

  /** Pins {@code id} and returns true if it is resident with all of {@code columns}. */
  private boolean pinIfComplete(ContentId id, BitSet columns) {
    BitSet resident = runtime.cache.pinIfResident(id);
    if (resident == null) {
      return false;
    }
    pinned.add(id);
    BitSet missing = (BitSet) columns.clone();
    missing.andNot(resident);
    return missing.isEmpty();
  }

  /**
   * Loads the batches this loader registered as loading. While registered, nobody else changes
   * their residency, so what is resident now decides what to load: nothing, missing columns,
   * or the whole set.
   */
  private void loadOwned(TableSchema schema, int replicas, List<BatchRef> mine, BitSet columns)
      throws SQLException, InterruptedException {
    List<BatchRef> toFetch = new ArrayList<>();
    try {
      for (BatchRef b : mine) {
        BitSet resident = runtime.cache.pinIfResident(b.id());
        if (resident != null) {
          pinned.add(b.id());
        }
        BitSet missing = (BitSet) columns.clone();
        if (resident != null) {
          missing.andNot(resident);
        }
        if (missing.isEmpty()) {
          continue;
        }
        byte[] bytes = runtime.cache.keptBlob(b.id()).orElse(null);
        if (bytes == null) {
          bytes = runtime.cache.readFromDisk(b.id()).orElse(null);
          if (bytes != null) {
            counters.diskBatches.incrementAndGet();
          }
        }
        if (bytes == null) {
          toFetch.add(b);
        } else {
          loadVerified(schema, b, bytes, resident, missing, false);
        }
      }
      fetchAndLoad(schema, replicas, toFetch, columns);
    } finally {
      for (BatchRef b : mine) {
        CompletableFuture<Void> f = runtime.loading.remove(b.id());
        if (f != null) {
          f.complete(null);
        }
      }
    }
  }

  /**
   * Fetches {@code batches} and loads their missing {@code columns}. A fetched batch may
   * already have some columns resident (the cache had neither its blob nor a file).
   */
  private void fetchAndLoad(TableSchema schema, int replicas, List<BatchRef> batches,
      BitSet columns) throws SQLException, InterruptedException {
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
        ContentId id = f.batch().id();
        BitSet resident = runtime.cache.isResident(id) ? runtime.cache.residentColumns(id)
            : null;
        BitSet missing = (BitSet) columns.clone();
        if (resident != null) {
          missing.andNot(resident);
        }
        loadVerified(schema, f.batch(), f.bytes(), resident, missing, true);
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
   * Decodes the {@code missing} columns of bytes already checked to hash to the batch id (by
   * the blob source, the cache directory's read, or before the cache kept them) and loads
   * them: as a new table when nothing was {@code resident} (null), which admits and pins the
   * batch, or added to the resident, pinned batch. The blob is kept in memory for later
   * columns while some are missing and there is no cache directory; with {@code fresh} bytes
   * (just fetched) it is written to the cache directory.
   */
  private void loadVerified(TableSchema schema, BatchRef batch, byte[] bytes, BitSet resident,
      BitSet missing, boolean fresh) throws SQLException {
    long accounted;
    try (DecodedBatch decoded = BatchDecoder.decode(bytes, schema,
        missing.stream().toArray(), runtime.allocator)) {
      accounted = DuckDbStore.load(connection, runtime.allocator, batch.id(), decoded,
          resident != null);
    }
    counters.decodedColumns.addAndGet(missing.cardinality());
    BitSet all = (BitSet) missing.clone();
    if (resident != null) {
      all.or(resident);
    }
    boolean complete = all.cardinality() == schema.size();
    if (resident == null) {
      byte[] keep = complete || runtime.cache.hasDirectory() ? null : bytes;
      runtime.cache.admit(batch.id(), missing, accounted, keep);
      pinned.add(batch.id());
    } else {
      runtime.cache.addColumns(batch.id(), missing, accounted, complete);
    }
    if (fresh) {
      runtime.cache.writeToDisk(batch.id(), bytes);
    }
  }

  /** Releases every pin this query took. */
  void unpinAll() {
    runtime.cache.unpin(pinned);
    pinned.clear();
  }
}
