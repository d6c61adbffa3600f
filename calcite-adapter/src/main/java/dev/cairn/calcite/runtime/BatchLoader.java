package dev.cairn.calcite.runtime;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.fetch.HolderDirectory;
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
 * loading is waited for, then looked at again. For the rest this loader owns the load, as one
 * job per batch run on the runtime's fetch threads, at most {@code parallelism} at once: get
 * the verified blob from memory (kept by the cache for adding columns), the cache directory
 * (re-verified) or donors; decode only the missing columns; load them into DuckDB through a
 * loader connection of its own. Decoding and loading run in parallel as the fetches do, so a
 * cold query is not bound by one thread; a job holds one blob and its decoded columns, so at
 * most {@code parallelism} of each are in memory. This thread only records each finished job in
 * the cache.
 */
final class BatchLoader {
  /** One batch this loader loads: what is resident already and which columns it adds. */
  private record Job(BatchRef batch, BitSet resident, BitSet missing) { }

  /** A finished job: the Arrow bytes it loaded and the blob if it was fetched, or a failure. */
  private record Done(Job job, long accounted, byte[] fetched, CairnException failure) { }

  private final CairnRuntime runtime;
  private final BlobSource source;
  private final HolderDirectory holders;
  private final SessionCounters counters;
  private final int parallelism;
  /** Every pin this query holds, released by {@link #unpinAll}. */
  private final List<ContentId> pinned = new ArrayList<>();

  BatchLoader(CairnRuntime runtime, BlobSource source, HolderDirectory holders,
      SessionCounters counters, int parallelism) {
    this.runtime = requireNonNull(runtime, "runtime");
    this.source = requireNonNull(source, "source");
    this.holders = requireNonNull(holders, "holders");
    this.counters = requireNonNull(counters, "counters");
    this.parallelism = parallelism;
  }

  /**
   * Makes {@code columns} of every batch in {@code batches} resident, and pins them. Returns
   * true if they all were resident already (nothing was loaded or waited for).
   */
  boolean ensureResident(TableSchema schema, int replicas, List<BatchRef> batches,
      BitSet columns) throws InterruptedException {
    Map<ContentId, BatchRef> wanted = new LinkedHashMap<>();
    batches.forEach(b -> wanted.putIfAbsent(b.id(), b));
    boolean wereResident = true;
    for (int attempt = 0; !wanted.isEmpty(); attempt++) {
      for (Iterator<ContentId> it = wanted.keySet().iterator(); it.hasNext(); ) {
        ContentId id = it.next();
        if (pinIfComplete(id, columns)) {
          it.remove();
        }
      }
      wereResident &= wanted.isEmpty();
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
    return wereResident;
  }

  /** Pins the resident cache entry {@code id} (a merged table) for this query; false if gone. */
  boolean pinIfResident(ContentId id) {
    if (runtime.cache.pinIfResident(id) == null) {
      return false;
    }
    pinned.add(id);
    return true;
  }

  /** Adds a pin the cache already took for this query (a merged table it admitted). */
  void adoptPin(ContentId id) {
    pinned.add(id);
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
      throws InterruptedException {
    try {
      List<Job> jobs = new ArrayList<>();
      for (BatchRef b : mine) {
        BitSet resident = runtime.cache.pinIfResident(b.id());
        if (resident != null) {
          pinned.add(b.id());
        }
        BitSet missing = (BitSet) columns.clone();
        if (resident != null) {
          missing.andNot(resident);
        }
        if (!missing.isEmpty()) {
          jobs.add(new Job(b, resident, missing));
        }
      }
      run(schema, replicas, jobs);
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
   * Runs {@code jobs}, at most {@code parallelism} at once, and records each finished one. After
   * a failure no job starts, but those running are still recorded (their tables exist), then
   * the first failure is thrown.
   */
  private void run(TableSchema schema, int replicas, List<Job> jobs)
      throws InterruptedException {
    if (jobs.isEmpty()) {
      return;
    }
    HolderLookup where = new HolderLookup(replicas, jobs);
    BlockingQueue<Done> finished = new LinkedBlockingQueue<>();
    Iterator<Job> next = jobs.iterator();
    int running = 0;
    CairnException failure = null;
    while (running > 0 || (next.hasNext() && failure == null)) {
      while (failure == null && running < parallelism && next.hasNext()) {
        Job job = next.next();
        runtime.fetchThreads.execute(() -> finished.add(load(schema, job, where)));
        running++;
      }
      Done done = finished.take();
      running--;
      if (done.failure() != null) {
        failure = failure == null ? done.failure() : failure;
      } else {
        record(schema, done);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Finds holders once, on the first job that must fetch: most loads need no donor. */
  private final class HolderLookup {
    private final int replicas;
    private final List<ContentId> ids;
    private Map<ContentId, List<InetSocketAddress>> found;

    HolderLookup(int replicas, List<Job> jobs) {
      this.replicas = replicas;
      this.ids = jobs.stream().map(j -> j.batch().id()).toList();
    }

    synchronized List<InetSocketAddress> of(ContentId id) {
      if (found == null) {
        found = holders.holders(replicas, ids);
      }
      return found.getOrDefault(id, List.of());
    }
  }

  /** One job, on a fetch thread: get the verified blob, decode the missing columns, load. */
  private Done load(TableSchema schema, Job job, HolderLookup where) {
    BatchRef batch = job.batch();
    try {
      byte[] fetched = null;
      byte[] bytes = runtime.cache.keptBlob(batch.id()).orElse(null);
      if (bytes == null) {
        bytes = runtime.cache.readFromDisk(batch.id()).orElse(null);
        if (bytes != null) {
          counters.diskBatches.incrementAndGet();
        }
      }
      if (bytes == null) {
        bytes = source.fetch(batch.id(), batch.byteSize(), where.of(batch.id()));
        fetched = bytes;
        counters.fetchedBatches.incrementAndGet();
        counters.fetchedBytes.addAndGet(bytes.length);
      }
      long accounted;
      DuckDBConnection connection = runtime.store.borrowLoader();
      try (DecodedBatch decoded = BatchDecoder.decode(bytes, schema,
          job.missing().stream().toArray(), runtime.allocator)) {
        accounted = DuckDbStore.load(connection, runtime.allocator, batch.id(), decoded,
            job.resident() != null);
      } finally {
        runtime.store.returnLoader(connection);
      }
      counters.decodedColumns.addAndGet(job.missing().cardinality());
      return new Done(job, accounted, fetched, null);
    } catch (CairnException e) {
      return new Done(job, 0, null, e);
    } catch (SQLException e) {
      return new Done(job, 0, null, new CairnException(ErrorCode.INTERNAL, "loading batch "
          + batch.id().toShortHex() + " into DuckDB failed: " + e.getMessage(), e));
    } catch (RuntimeException e) {
      return new Done(job, 0, null, new CairnException(ErrorCode.INTERNAL,
          "loading batch " + batch.id().toShortHex() + " failed: " + e, e));
    }
  }

  /**
   * Records a loaded job in the cache: a batch that was not resident is admitted and pinned;
   * one that was gets its new columns. The blob is kept in memory for later columns while some
   * are missing and there is no cache directory; a fetched blob is written to the directory.
   */
  private void record(TableSchema schema, Done done) {
    Job job = done.job();
    ContentId id = job.batch().id();
    BitSet all = (BitSet) job.missing().clone();
    if (job.resident() != null) {
      all.or(job.resident());
    }
    boolean complete = all.cardinality() == schema.size();
    if (job.resident() == null) {
      // Not resident and no directory: the bytes were fetched, and are all there is to keep.
      byte[] keep = complete || runtime.cache.hasDirectory() ? null : done.fetched();
      runtime.cache.admit(id, job.missing(), done.accounted(), keep);
      pinned.add(id);
    } else {
      runtime.cache.addColumns(id, job.missing(), done.accounted(), complete);
    }
    if (done.fetched() != null) {
      runtime.cache.writeToDisk(id, done.fetched());
    }
  }

  /** Releases every pin this query took. */
  void unpinAll() {
    runtime.cache.unpin(pinned);
    pinned.clear();
  }
}
