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
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.duckdb.DuckDBConnection;

/**
 * Makes the columns one query needs of the batches it needs resident in DuckDB, and pins those
 * batches until the query ends.
 *
 * <p>A batch with the needed columns resident is only pinned. One that another session is
 * loading is waited for, then looked at again (if that load failed, this query fails with the
 * same named error). For the rest this loader owns the load, as one
 * job per batch run on the runtime's load threads, at most {@code parallelism} at once: get
 * the verified blob from memory (kept by the cache for adding columns), the cache directory
 * (re-verified) or donors; decode only the missing columns; load them into DuckDB through a
 * loader connection of its own. Decoding and loading run in parallel as the fetches do, so a
 * cold query is not bound by one thread; a job holds one blob and its decoded columns, so at
 * most {@code parallelism} of each are in memory. This thread only records each finished job in
 * the cache. A {@link QueryCancel} stops it: waits end, running loads are interrupted (their
 * fetches cancelled) and the query fails with CANCELLED.
 */
final class BatchLoader {
  /**
   * What one table use of a query needs resident: the table columns {@code columns}, read
   * through {@code layout}, of {@code batches} (stored with {@code redundancy}).
   */
  record Need(BatchColumns layout, RedundancyPolicy redundancy, List<BatchRef> batches,
      BitSet columns) { }

  /** One batch this query needs, and every need that reads it. */
  private static final class Wanted {
    private final BatchRef batch;
    private final RedundancyPolicy redundancy;
    private final List<Need> needs = new ArrayList<>();

    Wanted(BatchRef batch, RedundancyPolicy redundancy) {
      this.batch = batch;
      this.redundancy = redundancy;
    }

    /**
     * Returns the batch's own columns to make resident for every need that reads it: the union
     * of those holding their columns, or, if they hold none, the one column that gives the row
     * count ({@link BatchColumns#toStored}).
     */
    BitSet storedColumns(BitSet resident) {
      BitSet own = new BitSet();
      for (Need need : needs) {
        own.or(need.layout().ownColumns(batch.id(), need.columns()));
      }
      Need first = needs.get(0);
      return own.isEmpty() ? first.layout().toStored(batch.id(), first.columns(), resident) : own;
    }

    TableSchema stored() {
      return needs.get(0).layout().storedBy(batch.id());
    }
  }

  /**
   * One batch this loader loads: what is resident already and which columns it adds; {@code
   * arriving}: hand its decoded columns to the running query once loaded.
   */
  private record Job(BatchRef batch, RedundancyPolicy redundancy, TableSchema stored,
      BitSet resident, BitSet missing, boolean arriving) { }

  /** A finished job: the Arrow bytes it loaded and the blob if it was fetched, or a failure. */
  private record Done(Job job, long accounted, byte[] fetched, CairnException failure) { }

  private final CairnRuntime runtime;
  private final BlobSource source;
  private final HolderDirectory holders;
  private final SessionCounters counters;
  private final int parallelism;
  private final QueryCancel cancel;
  /** Evictions of batches this query waited for, past which the cache is too small. */
  static final int EVICTIONS_MAX = 3;
  /** Rounds of waiting for other sessions' loads before giving up (a livelock bound). */
  static final int ROUNDS_MAX = 256;
  /** Every pin this query holds, released by {@link #unpinAll}. */
  private final List<ContentId> pinned = new ArrayList<>(); // guarded by this
  /** Set by {@link #unpinAll}: a pin that would arrive later is not taken. */
  private boolean released; // guarded by this
  /** The need whose batches may be handed to the running query as they load, and where. */
  private Need streamed;
  private ArrivingBatches arriving;

  BatchLoader(CairnRuntime runtime, BlobSource source, HolderDirectory holders,
      SessionCounters counters, int parallelism, QueryCancel cancel) {
    this.runtime = requireNonNull(runtime, "runtime");
    this.source = requireNonNull(source, "source");
    this.holders = requireNonNull(holders, "holders");
    this.counters = requireNonNull(counters, "counters");
    this.parallelism = parallelism;
    this.cancel = requireNonNull(cancel, "cancel");
  }

  /**
   * Makes the table columns {@code columns} of every batch in {@code batches} resident (each
   * batch's own columns that hold them, {@link BatchColumns#toStored}), and pins them. Returns
   * true if they all were resident already (nothing was loaded or waited for).
   */
  boolean ensureResident(BatchColumns layout, RedundancyPolicy redundancy,
      List<BatchRef> batches, BitSet columns) throws InterruptedException {
    return ensureResident(List.of(new Need(layout, redundancy, batches, columns))).get(0);
  }

  /**
   * Makes what every one of {@code needs} asks resident and pins it; returns, per need, whether
   * all of it was resident already (nothing was loaded or waited for).
   *
   * <p>The needs of one query load together, as one set of jobs: each batch once, with every
   * column any need reads of it. So no table waits for the last batches of the one before it
   * (the load threads stay busy across tables), holders are looked up once per redundancy
   * policy rather than once per table, and a table a query reads twice (a self-join, a
   * subquery) loads each batch once rather than once and then again for the other read's
   * columns.
   */
  List<Boolean> ensureResident(List<Need> needs) throws InterruptedException {
    Map<ContentId, Wanted> wanted = new LinkedHashMap<>();
    for (Need need : needs) {
      for (BatchRef b : need.batches()) {
        Wanted w = wanted.computeIfAbsent(b.id(), id -> new Wanted(b, need.redundancy()));
        if (w.needs.isEmpty() || w.needs.get(w.needs.size() - 1) != need) {
          w.needs.add(need); // a need may list a batch twice
        }
      }
    }
    try {
      return ensureWanted(needs, wanted);
    } catch (CairnException e) {
      failArrivals(e);
      throw e;
    } catch (InterruptedException e) {
      failArrivals(new CairnException(ErrorCode.IO_ERROR, "interrupted while loading batches"));
      throw e;
    } catch (RuntimeException e) {
      failArrivals(new CairnException(ErrorCode.INTERNAL, "loading batches failed: " + e, e));
      throw e;
    } finally {
      if (arriving != null) {
        arriving.decide(false); // no effect once decided
      }
    }
  }

  /** Fails the arriving stream, if any: a query reading it fails now, not at a short end. */
  private void failArrivals(CairnException why) {
    if (arriving != null) {
      arriving.fail(why);
    }
  }

  private List<Boolean> ensureWanted(List<Need> needs, Map<ContentId, Wanted> wanted)
      throws InterruptedException {
    List<Boolean> warm = null;
    // Batches another session was loading while this one waited: if one is not resident at
    // the next look, the cache evicted it in between. Waits that only added other columns
    // (queries loading one batch for different columns at once) are no sign of a small cache.
    Set<ContentId> waitedFor = new HashSet<>();
    // Batches whose load by another session failed while this one waited: each gets one try
    // of this query's own before a second such failure is taken as this query's answer.
    Set<ContentId> triedAfterOthersFailed = new HashSet<>();
    int evicted = 0;
    for (int round = 0; !wanted.isEmpty(); round++) {
      if (round >= ROUNDS_MAX) {
        throw new CairnException(ErrorCode.BUSY, "other queries kept loading the batches this"
            + " one needs for " + ROUNDS_MAX + " rounds; try again");
      }
      Map<ContentId, BitSet> firstLook = round == 0 ? new HashMap<>() : null;
      for (Iterator<Wanted> it = wanted.values().iterator(); it.hasNext(); ) {
        Wanted w = it.next();
        ContentId id = w.batch.id();
        BitSet resident = pinIfResident(id);
        if (firstLook != null && resident != null) {
          firstLook.put(id, resident);
        }
        if (resident == null) {
          evicted += waitedFor.contains(id) ? 1 : 0;
        } else if (covers(resident, w.storedColumns(resident))) {
          it.remove();
        }
      }
      if (firstLook != null) {
        warm = wereResident(needs, firstLook);
      }
      if (evicted > EVICTIONS_MAX) {
        throw new CairnException(ErrorCode.BUSY, "batches were evicted while loading: the"
            + " cache (cache.size) is too small for the queries running at once");
      }
      waitedFor.clear();
      List<Wanted> mine = new ArrayList<>();
      Map<ContentId, CompletableFuture<Void>> others = new LinkedHashMap<>();
      for (Wanted w : wanted.values()) {
        CompletableFuture<Void> ours = new CompletableFuture<>();
        CompletableFuture<Void> existing = runtime.loading.putIfAbsent(w.batch.id(), ours);
        if (existing == null) {
          mine.add(w);
        } else {
          ContentId id = w.batch.id();
          others.put(id, existing.thenRun(() -> pinWhenLoaded(id)));
          waitedFor.add(id);
        }
      }
      loadOwned(mine);
      mine.forEach(w -> wanted.remove(w.batch.id()));
      if (!others.isEmpty()) {
        counters.loadWaits.incrementAndGet();
      }
      for (Map.Entry<ContentId, CompletableFuture<Void>> other : others.entrySet()) {
        if (!awaitOthersLoad(other.getKey(), other.getValue(), triedAfterOthersFailed)) {
          waitedFor.remove(other.getKey()); // never loaded there: no sign of a small cache
        }
      }
    }
    if (warm == null) { // nothing was wanted
      warm = needs.stream().map(n -> true).toList();
    }
    return warm;
  }

  /**
   * Returns, per need, whether every batch it reads had the columns it reads resident at the
   * first look ({@code resident}: the resident columns of those that were resident).
   */
  private static List<Boolean> wereResident(List<Need> needs, Map<ContentId, BitSet> resident) {
    List<Boolean> out = new ArrayList<>(needs.size());
    for (Need need : needs) {
      boolean all = true;
      for (BatchRef b : need.batches()) {
        BitSet have = resident.get(b.id());
        all &= have != null && covers(have, need.layout().toStored(b.id(), need.columns(), have));
      }
      out.add(all);
    }
    return out;
  }

  /**
   * Offers to hand the batches of {@code need} (one of those the next {@link #ensureResident}
   * gets) to the running query through {@code to} as they load. The loader decides once it
   * knows what to load ({@link ArrivingBatches#decide}): yes only if it loads every one of them
   * itself, from nothing resident, with the same columns, so the stream gives each batch
   * exactly once; else the query waits and reads the loaded tables as usual.
   */
  void offerArrivals(Need need, ArrivingBatches to) {
    this.streamed = need;
    this.arriving = to;
  }

  /** Pins the resident cache entry {@code id} (a merged table) for this query; false if gone. */
  boolean pinMerged(ContentId id) {
    if (runtime.cache.pinIfResident(id) == null) {
      return false;
    }
    addPin(id);
    return true;
  }

  /** Adds a pin the cache already took for this query (a merged table it admitted). */
  void adoptPin(ContentId id) {
    addPin(id);
  }

  private synchronized void addPin(ContentId id) {
    pinned.add(id);
  }

  /**
   * Pins {@code id} if it is resident, for this query, on the thread that completes another
   * session's load of it: that session still holds its own pins then, so the batch cannot be
   * evicted between its load and this query's next look (on a busy machine, and with a query
   * whose DuckDB had already read the batches as they arrived, the loading query released its
   * pins and another admission evicted the batch first, until this query gave up with BUSY).
   */
  private synchronized void pinWhenLoaded(ContentId id) {
    if (!released && runtime.cache.pinIfResident(id) != null) {
      pinned.add(id);
    }
  }

  /**
   * Waits for another session's load of {@code id}, or until this query is cancelled
   * (CANCELLED). Returns false if that load ended without loading the batch: it stopped at
   * another batch's failure, or its query was cancelled, or it failed (every holder tried) and
   * this query has not yet tried the batch itself after such a failure ({@code triedOnce}).
   * Then this query tries it itself: the other load asked the holders before this query
   * began, and a holder back since then (the soak saw a query that started after an outage
   * fail with the outage's error) serves it now. A second such failure is this query's
   * answer, named as it was, instead of retrying into a misleading BUSY.
   */
  private boolean awaitOthersLoad(ContentId id, CompletableFuture<Void> other,
      Set<ContentId> triedOnce) {
    CompletableFuture.anyOf(other, cancel.whenCancelled()).handle((v, e) -> null).join();
    cancel.check();
    try {
      other.join();
      return true;
    } catch (CompletionException e) {
      if (e.getCause() instanceof NotLoaded) {
        return false;
      }
      if (e.getCause() instanceof CairnException failure) {
        if (triedOnce.add(id)) {
          return false;
        }
        throw new CairnException(failure.code(), "another query loading the same batch: "
            + failure.detail(), failure);
      }
      throw e;
    }
  }

  /** Pins {@code id} if it is resident and returns its resident columns, else null. */
  private BitSet pinIfResident(ContentId id) {
    BitSet resident = runtime.cache.pinIfResident(id);
    if (resident != null) {
      addPin(id);
    }
    return resident;
  }

  /** Returns whether {@code resident} holds every one of {@code columns}. */
  private static boolean covers(BitSet resident, BitSet columns) {
    BitSet missing = (BitSet) columns.clone();
    missing.andNot(resident);
    return missing.isEmpty();
  }

  /**
   * Loads the batches this loader registered as loading. While registered, nobody else changes
   * their residency, so what is resident now decides what to load: nothing, missing columns,
   * or the whole set. Sessions waiting for a batch whose own load failed get its failure; those
   * waiting for one it did not load look again.
   */
  private void loadOwned(List<Wanted> mine) throws InterruptedException {
    Set<ContentId> recorded = new HashSet<>();
    Map<ContentId, CairnException> failed = new HashMap<>();
    try {
      List<Job> jobs = new ArrayList<>();
      for (Wanted w : mine) {
        ContentId id = w.batch.id();
        BitSet resident = runtime.cache.pinIfResident(id);
        if (resident != null) {
          addPin(id);
        }
        BitSet missing = w.storedColumns(resident);
        if (resident != null) {
          missing.andNot(resident);
        }
        if (!missing.isEmpty()) {
          jobs.add(new Job(w.batch, w.redundancy, w.stored(), resident, missing, false));
        }
      }
      jobs = decideArrivals(jobs);
      run(jobs, recorded, failed);
    } finally {
      for (Wanted w : mine) {
        CompletableFuture<Void> f = runtime.loading.remove(w.batch.id());
        if (f == null) {
          continue;
        }
        CairnException own = failed.get(w.batch.id());
        if (own != null) {
          f.completeExceptionally(own);
        } else if (recorded.contains(w.batch.id())) {
          f.complete(null);
        } else {
          f.completeExceptionally(NotLoaded.INSTANCE);
        }
      }
    }
  }

  /**
   * Ends another session's wait for a batch this one registered but did not load (nothing was
   * missing, it stopped at another batch's failure, or it was cancelled): that session looks
   * again and loads it itself if need be, rather than taking a failure that was not this
   * batch's.
   */
  private static final class NotLoaded extends RuntimeException {
    static final NotLoaded INSTANCE = new NotLoaded();

    private NotLoaded() {
      super("not loaded here", null, false, false);
    }
  }

  /**
   * Decides, the first time this loader has jobs (or none), whether the offered need's batches
   * arrive to the query: only if {@code jobs} load every distinct batch of it from nothing
   * resident. Returns the jobs, marked to deliver if so.
   */
  private List<Job> decideArrivals(List<Job> jobs) {
    if (arriving == null || arriving.decision().isDone()) {
      return jobs;
    }
    Set<ContentId> of = new HashSet<>();
    streamed.batches().forEach(b -> of.add(b.id()));
    boolean all = jobs.size() == of.size()
        && jobs.stream().allMatch(j -> j.resident() == null && of.contains(j.batch().id()));
    arriving.decide(all);
    if (!all) {
      return jobs;
    }
    return jobs.stream().map(j -> new Job(j.batch(), j.redundancy(), j.stored(), null,
        j.missing(), true)).toList();
  }

  /**
   * Runs {@code jobs}, at most {@code parallelism} at once, and records each finished one. After
   * a failure or a cancel no job starts, but those running are still waited for and recorded if
   * they finished (their tables exist), then the first failure (or CANCELLED) is thrown. Adds
   * the id of each recorded job to {@code recorded}, and puts the failure of each job that
   * failed on its own (not by the cancel) into {@code failed}.
   */
  private void run(List<Job> jobs, Set<ContentId> recorded,
      Map<ContentId, CairnException> failed) throws InterruptedException {
    if (jobs.isEmpty()) {
      return;
    }
    HolderLookup where = new HolderLookup(jobs);
    BlockingQueue<Done> finished = new LinkedBlockingQueue<>();
    Iterator<Job> next = jobs.iterator();
    int running = 0;
    CairnException failure = null;
    // A cancel interrupts the running loads (and so their fetches) and wakes this thread.
    Set<Thread> loaders = new HashSet<>();
    Done wake = new Done(null, 0, null, null);
    cancel.onCancel(() -> {
      synchronized (loaders) {
        loaders.forEach(Thread::interrupt);
      }
      finished.add(wake);
    });
    while (running > 0 || (next.hasNext() && failure == null)) {
      while (failure == null && running < parallelism && next.hasNext()
          && !cancel.isCancelled()) {
        Job job = next.next();
        runtime.loadThreads.execute(() -> finished.add(loadUnlessCancelled(job, where,
            loaders)));
        running++;
      }
      if (cancel.isCancelled() && failure == null) {
        failure = cancel.error(); // still wait for the running loads, and record those done
      }
      if (running == 0) {
        break;
      }
      Done done = finished.take();
      if (done == wake) {
        continue;
      }
      running--;
      if (failure == null && cancel.isCancelled()) {
        // The cancel interrupts the loads before it wakes this thread, so a load's failure
        // (its interrupted fetch) can arrive first: the query failed because it was cancelled.
        failure = cancel.error();
      }
      if (failure != null && failure.code() == ErrorCode.CANCELLED) {
        if (done.failure() == null) {
          record(done);
          recorded.add(done.job().batch().id());
        }
      } else if (done.failure() != null) {
        failure = failure == null ? done.failure() : failure;
        failed.put(done.job().batch().id(), done.failure());
      } else {
        record(done);
        recorded.add(done.job().batch().id());
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Finds the holders of every job's batch with the same redundancy policy in one lookup, on
   * the first such job that must fetch: most loads need no donor. For an erasure-coded version
   * the blobs to find are the shards, each placed among k + m nodes.
   */
  private final class HolderLookup {
    private final Map<RedundancyPolicy, List<BatchRef>> batches = new LinkedHashMap<>();
    private final Map<RedundancyPolicy, Map<ContentId, List<InetSocketAddress>>> found =
        new HashMap<>();

    HolderLookup(List<Job> jobs) {
      for (Job job : jobs) {
        batches.computeIfAbsent(job.redundancy(), r -> new ArrayList<>()).add(job.batch());
      }
    }

    synchronized Map<ContentId, List<InetSocketAddress>> all(RedundancyPolicy redundancy) {
      Map<ContentId, List<InetSocketAddress>> of = found.get(redundancy);
      if (of == null) {
        counters.holderLookups.incrementAndGet();
        of = holders.holdersOf(redundancy, batches.get(redundancy));
        found.put(redundancy, of);
      }
      return of;
    }

    List<InetSocketAddress> of(RedundancyPolicy redundancy, ContentId id) {
      return all(redundancy).getOrDefault(id, List.of());
    }
  }

  /** Runs one job on a load thread, interruptible by a cancel while it runs. */
  private Done loadUnlessCancelled(Job job, HolderLookup where,
      Set<Thread> loaders) {
    Thread self = Thread.currentThread();
    synchronized (loaders) {
      if (cancel.isCancelled()) {
        return new Done(job, 0, null, cancel.error());
      }
      loaders.add(self);
    }
    try {
      return load(job, where);
    } finally {
      synchronized (loaders) {
        loaders.remove(self);
      }
      Thread.interrupted(); // a cancel's interrupt must not reach the thread's next job
    }
  }

  /** One job, on a load thread: get the verified blob, decode the missing columns, load. */
  private Done load(Job job, HolderLookup where) {
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
        bytes = job.redundancy().isErasure()
            ? source.fetchStripe(batch, job.redundancy(), where.all(job.redundancy()))
            : source.fetch(batch.id(), batch.byteSize(), where.of(job.redundancy(), batch.id()));
        fetched = bytes;
        counters.fetchedBatches.incrementAndGet();
        counters.fetchedBytes.addAndGet(bytes.length);
        // Here, in parallel, not when the query thread records the job: writing a cold
        // query's blobs one after another there cost it up to 1.5 s of CPU at SF 1, and the
        // next jobs start only as it takes finished ones.
        runtime.cache.writeToDisk(batch.id(), bytes);
      }
      long accounted;
      DuckDBConnection connection = runtime.store.borrowLoader();
      try (DecodedBatch decoded = BatchDecoder.decode(bytes, job.stored(),
          job.missing().stream().toArray(), runtime.allocator)) {
        if (job.arriving()) { // first: the query reads it while it loads into the cache
          arriving.deliver(decoded.roots());
          counters.arrivedBatches.incrementAndGet();
        }
        accounted = DuckDbStore.load(connection, runtime.allocator, batch.id(), decoded,
            job.resident() != null);
      } finally {
        runtime.store.returnLoader(connection);
      }
      counters.decodedColumns.addAndGet(job.missing().cardinality());
      counters.batchLoads.incrementAndGet();
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
   * are missing and there is no cache directory (the load thread wrote a fetched blob to the
   * directory, if there is one).
   */
  private void record(Done done) {
    Job job = done.job();
    ContentId id = job.batch().id();
    BitSet all = (BitSet) job.missing().clone();
    if (job.resident() != null) {
      all.or(job.resident());
    }
    boolean complete = all.cardinality() == job.stored().size();
    if (job.resident() == null) {
      // Not resident and no directory: the bytes were fetched, and are all there is to keep.
      byte[] keep = complete || runtime.cache.hasDirectory() ? null : done.fetched();
      runtime.cache.admit(id, job.missing(), done.accounted(), keep);
      addPin(id);
    } else {
      runtime.cache.addColumns(id, job.missing(), done.accounted(), complete);
    }
  }

  /** Releases every pin this query took. */
  synchronized void unpinAll() {
    runtime.cache.unpin(pinned);
    pinned.clear();
    released = true;
  }
}
