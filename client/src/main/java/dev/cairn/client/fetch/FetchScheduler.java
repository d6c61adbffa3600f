package dev.cairn.client.fetch;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.fetch.FetchStream.Attempt;
import dev.cairn.client.fetch.HolderBook.Holder;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.NodeClient;
import dev.cairn.wire.BusyException;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.message.BlobMessages.BlobData;
import dev.cairn.wire.rpc.Calls;
import dev.cairn.wire.rpc.Exchanges;
import dev.cairn.wire.rpc.RpcConnection;
import dev.cairn.wire.rpc.VerifiedBlobRead;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Downloads blobs from several near donors at once and hedges the long tail (the reader side
 * of the product promise: never everything from the single nearest donor).
 *
 * <p>Ranking ({@link HolderBook}): each holder address has an RTT estimate (PING, measured when
 * the address is first seen and every {@code rttRefreshInterval} after, EWMA) and a throughput
 * estimate (EWMA of won fetches); a blob's expected time at a holder is {@code rtt + bytes /
 * throughput}. Spread: a blob's first attempt goes to the least loaded of its near holders
 * below {@code perHolderInFlightMax}, so concurrent fetches share equally near holders.
 *
 * <p>Trust: every blob is verified against its id before it is yielded. A holder that serves
 * other bytes or announces another size than the manifest's is reported to the {@link
 * BadHolderListener}, struck (ranked last from then on) and the next holder is tried. Errors
 * and timeouts are struck too (the strike fades) but never reported as bad bytes; a timeout
 * also makes the pool back off from the holder ({@link ConnectionPool#unresponsive}), so a
 * hung donor costs one timeout per backoff period, not one per blob, and a holder the pool is
 * backing off from is asked only when no other is left. NOT_FOUND just moves on.
 *
 * <p>Hedging: a timer ticks every {@value #TICK_MS} ms; an attempt running longer than {@code
 * hedgeFactor} times the recent median of won fetches of similar size (at least {@value
 * #HEDGE_FLOOR_MS} ms; {@value #NO_HISTORY_HEDGE_MS} ms while there are too few samples) gets a
 * second attempt at the best other holder with room, within {@code hedgesMax} hedges at once.
 * The first verified answer wins; the other is cancelled and its bytes, if any, dropped.
 *
 * <p>Threads: one timer thread (ticks, RTT refresh) and a small worker pool that starts
 * requests (which may connect), reads ranges, and verifies hashes; Netty's event loops only
 * complete futures. One lock guards all scheduling state; hashing and listener calls happen
 * outside it.
 */
public final class FetchScheduler implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(FetchScheduler.class.getName());
  static final long TICK_MS = 20;
  static final long HEDGE_FLOOR_MS = 50;
  static final long NO_HISTORY_HEDGE_MS = 1000;
  /** Workers beyond parallelism + hedgesMax, for RTT probes and completions. */
  private static final int WORKERS_SPARE = 2;

  private final ConnectionPool pool;
  private final FetchOptions options;
  private final BadHolderListener listener;
  private final int rangeBytes;
  private final Object lock = new Object();
  private final HolderBook book = new HolderBook();
  private final DurationHistory history = new DurationHistory();
  private final Set<FetchStream> streams = new LinkedHashSet<>();
  private final ScheduledExecutorService timer;
  private final ExecutorService workers;
  private int hedgesInFlight;
  private long hedgesStarted;
  private long hedgesWon;
  private boolean closed;

  /** Creates a scheduler over {@code pool}, which stays the caller's to close. */
  public FetchScheduler(ConnectionPool pool, FetchOptions options, BadHolderListener listener) {
    this(pool, options, listener, BlobData.rangeBytesMax());
  }

  /** Creates a scheduler reading blobs in ranges of {@code rangeBytes} (tests: small). */
  FetchScheduler(ConnectionPool pool, FetchOptions options, BadHolderListener listener,
      int rangeBytes) {
    this.pool = requireNonNull(pool, "pool");
    this.options = requireNonNull(options, "options");
    this.listener = requireNonNull(listener, "listener");
    if (rangeBytes < 1 || rangeBytes > BlobData.rangeBytesMax()) {
      throw new IllegalArgumentException("rangeBytes must be 1.." + BlobData.rangeBytesMax());
    }
    this.rangeBytes = rangeBytes;
    this.timer = Executors.newSingleThreadScheduledExecutor(daemons("cairn-fetch-timer"));
    this.workers = Executors.newFixedThreadPool(options.parallelism() + options.hedgesMax()
        + WORKERS_SPARE, daemons("cairn-fetch-worker"));
    timer.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    long refreshMs = options.rttRefreshInterval().toMillis();
    timer.scheduleAtFixedRate(this::refreshRtts, refreshMs, refreshMs, TimeUnit.MILLISECONDS);
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Starts fetching {@code requests} and returns the stream of their verified blobs in
   * completion order; at most {@code resultsInFlightMax} blobs are fetched or wait unread at
   * once (see {@link FetchStream}). A request naming no holder is NOT_FOUND and one larger than
   * {@code blobBytesMax} BAD_FORMAT, before anything starts.
   */
  public FetchStream fetchAll(List<FetchRequest> requests, int resultsInFlightMax) {
    if (resultsInFlightMax < 1) {
      throw new IllegalArgumentException("resultsInFlightMax must be >= 1");
    }
    for (FetchRequest request : requests) {
      check(request);
    }
    FetchStream stream = new FetchStream(this, requests, options.parallelism(),
        resultsInFlightMax);
    List<Attempt> toStart = new ArrayList<>();
    synchronized (lock) {
      if (closed) {
        throw new CairnException(ErrorCode.IO_ERROR, "the fetch scheduler is closed");
      }
      if (!requests.isEmpty()) {
        streams.add(stream);
      }
      stream.pumpLocked(toStart);
    }
    launch(toStart);
    return stream;
  }

  /** Returns how many times the recent median an attempt may run before it is hedged. */
  double hedgeFactor() {
    return options.hedgeFactor();
  }

  /** Returns the verified bytes of one blob (hedged and failed over like any other). */
  public byte[] fetchOne(FetchRequest request) {
    try (FetchStream stream = fetchAll(List.of(request), 1)) {
      return stream.next().verifiedBytes();
    }
  }

  /**
   * Waits until one of {@code streams} not in {@code skip} is settled (a verified blob ready,
   * failed or cancelled) and returns its index, so one thread can follow several one-blob
   * streams, each its own failure domain (the shards of a stripe, {@link StripeFetcher}).
   * Throws IllegalArgumentException if every stream is skipped.
   */
  int awaitAnySettled(List<FetchStream> streams, Set<Integer> skip) {
    return awaitAnySettled(streams, skip, 0);
  }

  /**
   * Like {@link #awaitAnySettled(List, Set)}, but returns -1 once {@link System#nanoTime}
   * passes {@code deadlineNanos}; 0 means no deadline.
   */
  int awaitAnySettled(List<FetchStream> streams, Set<Integer> skip, long deadlineNanos) {
    synchronized (lock) {
      while (true) {
        boolean waitable = false;
        for (int i = 0; i < streams.size(); i++) {
          if (skip.contains(i)) {
            continue;
          }
          if (streams.get(i).settledLocked()) {
            return i;
          }
          waitable = true;
        }
        if (!waitable) {
          throw new IllegalArgumentException("no stream left to wait for");
        }
        try {
          if (deadlineNanos == 0) {
            lock.wait();
          } else {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
              return -1;
            }
            TimeUnit.NANOSECONDS.timedWait(lock, left);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CairnException(ErrorCode.INTERNAL, "interrupted while waiting for shards");
        }
      }
    }
  }

  /**
   * Returns true if one of {@code streams} not in {@code skip} has an attempt running at a
   * holder that has sent this scheduler nothing for {@code stallNanos}: not since the attempt
   * started, nor since that holder last delivered a blob, whichever is later. A donor busy
   * serving this reader's other fetches delivers now and then and is not stalled however long
   * its queue; a hung one is ({@link StripeFetcher}'s extra shard).
   */
  boolean anyStalled(List<FetchStream> streams, Set<Integer> skip, long stallNanos) {
    synchronized (lock) {
      long now = System.nanoTime();
      for (int i = 0; i < streams.size(); i++) {
        if (!skip.contains(i) && streams.get(i).stalledLocked(now, stallNanos)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Returns, for each of {@code holders}, how many fetches of this scheduler wait on it: the
   * attempts running there plus the blobs not yet started that list it first.
   * A stripe read asks for the shards whose donors have the shortest queues ({@link
   * StripeFetcher}).
   */
  int[] queuedAt(List<InetSocketAddress> holders) {
    int[] queued = new int[holders.size()];
    synchronized (lock) {
      for (int i = 0; i < holders.size(); i++) {
        Holder known = book.find(holders.get(i));
        queued[i] = known == null ? 0 : known.inFlight;
      }
      for (FetchStream stream : streams) {
        stream.addPendingLocked(holders, queued);
      }
    }
    return queued;
  }

  /** Returns, for each of {@code holders}, the verified bytes it has served this scheduler. */
  long[] bytesServedBy(List<InetSocketAddress> holders) {
    long[] served = new long[holders.size()];
    synchronized (lock) {
      for (int i = 0; i < holders.size(); i++) {
        Holder known = book.find(holders.get(i));
        served[i] = known == null ? 0 : known.bytesServed;
      }
    }
    return served;
  }

  private void check(FetchRequest request) {
    if (request.holders().isEmpty()) {
      throw new CairnException(ErrorCode.NOT_FOUND, "blob " + request.id().toShortHex()
          + " has no known holder");
    }
    if (request.expectedBytes() > options.blobBytesMax()) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "blob " + request.id().toShortHex()
          + " is listed as " + request.expectedBytes() + " bytes, more than the "
          + options.blobBytesMax() + " allowed");
    }
  }

  /** Returns what this scheduler saw of every holder so far. */
  public List<HolderStats> stats() {
    synchronized (lock) {
      List<HolderStats> all = new ArrayList<>();
      for (Holder holder : book.all()) {
        all.add(holder.snapshot());
      }
      return all;
    }
  }

  /** Returns what this scheduler saw of {@code holder}, or null if it never used it. */
  public HolderStats stats(InetSocketAddress holder) {
    synchronized (lock) {
      Holder known = book.find(holder);
      return known == null ? null : known.snapshot();
    }
  }

  /** Returns the number of hedge attempts started so far. */
  public long hedgesStarted() {
    synchronized (lock) {
      return hedgesStarted;
    }
  }

  /** Returns the number of fetches a hedge won. */
  public long hedgesWon() {
    synchronized (lock) {
      return hedgesWon;
    }
  }

  /** Stops the timer and workers and cancels every open stream; the pool stays open. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      for (FetchStream stream : List.copyOf(streams)) {
        stream.cancel();
      }
    }
    timer.shutdownNow();
    workers.shutdownNow();
  }

  Object lock() {
    return lock;
  }

  // ---- called by FetchStream, holding the lock ----

  Holder holderLocked(InetSocketAddress address) {
    boolean[] created = {false};
    Holder holder = book.holder(address, created);
    if (created[0]) {
      submit(() -> probe(holder, false));
    }
    return holder;
  }

  Holder chooseLocked(List<Holder> candidates, long bytes, boolean nearOnly) {
    return book.choose(candidates, bytes, nearOnly, options.perHolderInFlightMax(),
        System.nanoTime(), pool.backoff()::isBackedOff);
  }

  boolean hedgeAllowedLocked() {
    return hedgesInFlight < options.hedgesMax();
  }

  long hedgeThresholdNanosLocked(long bytes) {
    long median = history.medianNanos(bytes);
    if (median < 0) {
      return TimeUnit.MILLISECONDS.toNanos(NO_HISTORY_HEDGE_MS);
    }
    return Math.max(TimeUnit.MILLISECONDS.toNanos(HEDGE_FLOOR_MS),
        (long) (options.hedgeFactor() * median));
  }

  /**
   * Returns the hedge factor times the time a fetch of {@code bytes} takes at {@code holder} by
   * its throughput so far (0 when unknown): a donor limited to a few MiB/s and serving several
   * of this reader's fetches at once goes that long between deliveries without being stalled.
   */
  long usualNanosLocked(Holder holder, long bytes) {
    if (holder.bytesPerSecond <= 0) {
      return 0;
    }
    return (long) (options.hedgeFactor() * bytes * 1e9 / holder.bytesPerSecond);
  }

  void attemptStartedLocked(Attempt attempt) {
    attempt.holder.inFlight++;
    if (attempt.hedge) {
      hedgesInFlight++;
      hedgesStarted++;
      attempt.holder.hedgesSent++;
    }
  }

  /** Ends an attempt's claim on its holder and the hedge budget; idempotent. */
  void attemptEndedLocked(Attempt attempt) {
    if (attempt.finished) {
      return;
    }
    attempt.finished = true;
    attempt.job.attempts.remove(attempt);
    attempt.holder.inFlight--;
    if (attempt.hedge) {
      hedgesInFlight--;
    }
  }

  void wonLocked(Attempt winner, long bytes, long elapsedNanos) {
    winner.holder.bytesServed += bytes;
    winner.holder.fetchesWon++;
    book.observeTransfer(winner.holder, bytes, elapsedNanos);
    history.record(bytes, elapsedNanos);
    if (winner.hedge) {
      hedgesWon++;
    }
  }

  void observeSlowLocked(Holder holder, long bytes, long elapsedNanos) {
    book.observeTransfer(holder, bytes, elapsedNanos);
  }

  void strikeLocked(Holder holder, ErrorCode code, long now) {
    book.strike(holder, VerifiedBlobRead.isLie(code), now);
  }

  void unreachableLocked(Holder holder) {
    holder.unreachable++;
  }

  void unregisterLocked(FetchStream stream) {
    streams.remove(stream);
  }

  // ---- attempts ----

  /** Starts {@code attempts} on workers: starting may connect, which must not hold the lock. */
  void launch(List<Attempt> attempts) {
    for (Attempt attempt : attempts) {
      submit(() -> begin(attempt));
    }
  }

  private void begin(Attempt attempt) {
    FetchRequest request = attempt.job.request;
    NodeClient client = new NodeClient(pool, attempt.holder.address, null,
        options.callTimeout());
    VerifiedBlobRead read;
    try {
      read = new VerifiedBlobRead(client::getAsync, HostPort.format(client.address()),
          request.id(), request.expectedBytes(), rangeBytes);
    } catch (CairnException e) {
      done(attempt, null, e);
      return;
    }
    synchronized (lock) {
      if (attempt.finished) {
        return; // cancelled before it began
      }
      attempt.read = read;
    }
    read.result().whenCompleteAsync((bytes, failure) -> done(attempt, bytes, failure), workers);
    read.start(workers);
  }

  private void done(Attempt attempt, byte[] bytes, Throwable failure) {
    CairnException error = failure == null ? null : Calls.asCairn(failure);
    CairnException report;
    List<Attempt> toStart = new ArrayList<>();
    synchronized (lock) {
      if (bytes != null) {
        attempt.holder.lastDeliveryNanos = System.nanoTime();
      }
      report = attempt.stream.attemptDoneLocked(attempt, bytes, error);
      pumpAllLocked(toStart);
    }
    if (report != null) {
      report(attempt.holder.address, attempt.job.request, report);
    }
    launch(toStart);
  }

  /**
   * Tells the listener of a lie; a timeout makes the pool back off from the holder, and other
   * failures (unreachable, refused, closed) are only logged: they are no evidence of bad bytes.
   */
  private void report(InetSocketAddress holder, FetchRequest request, CairnException why) {
    LOG.log(Level.FINE, () -> "holder " + HostPort.format(holder) + " failed blob "
        + request.id().toShortHex() + ": " + why.getMessage());
    if (timedOut(why)) {
      pool.unresponsive(holder);
    }
    if (!VerifiedBlobRead.isLie(why.code())) {
      return;
    }
    try {
      listener.badHolder(holder, request.id(), why);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "bad holder listener failed", e);
    }
  }

  /**
   * True for a timeout of a real request (RpcConnection reports those as BUSY). Not for a
   * {@link BusyException}: the pool's own fail-fast refusal, or a server's BUSY with a retry
   * hint, which the pool already recorded when it connected.
   */
  private static boolean timedOut(CairnException why) {
    return why.code() == ErrorCode.BUSY && !(why instanceof BusyException);
  }

  private void pumpAllLocked(List<Attempt> toStart) {
    for (FetchStream stream : List.copyOf(streams)) {
      stream.pumpLocked(toStart);
    }
  }

  private void tick() {
    List<Attempt> toStart = new ArrayList<>();
    synchronized (lock) {
      long now = System.nanoTime();
      for (FetchStream stream : List.copyOf(streams)) {
        stream.hedgeLocked(now, toStart);
      }
      pumpAllLocked(toStart);
    }
    launch(toStart);
  }

  // ---- round trips ----

  private void refreshRtts() {
    List<Holder> known;
    synchronized (lock) {
      known = new ArrayList<>(book.all());
    }
    for (Holder holder : known) {
      submit(() -> probe(holder, true));
    }
  }

  /**
   * PINGs {@code holder} (after connecting, so the connect is not counted); an unreachable
   * holder gets the call timeout as its round trip.
   */
  private void probe(Holder holder, boolean periodic) {
    long rttNanos;
    try {
      RpcConnection connection = pool.get(holder.address);
      long start = System.nanoTime();
      Exchanges.PING.call(connection, options.callTimeout());
      rttNanos = System.nanoTime() - start;
    } catch (CairnException e) {
      if (timedOut(e)) {
        pool.unresponsive(holder.address);
      }
      rttNanos = options.callTimeout().toNanos();
      LOG.log(Level.FINE, () -> "PING to " + HostPort.format(holder.address) + " failed: "
          + e.getMessage());
    }
    synchronized (lock) {
      book.observeRtt(holder, rttNanos);
      if (periodic) {
        book.refreshed(holder);
      }
    }
  }

  private void submit(Runnable task) {
    try {
      workers.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.log(Level.FINE, "fetch scheduler closed; task dropped");
    }
  }
}
