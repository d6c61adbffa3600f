package dev.cairn.client.fetch;

import dev.cairn.client.fetch.HolderBook.Holder;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.rpc.PeerBackoff;
import dev.cairn.wire.rpc.VerifiedBlobRead;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The blobs of one {@link FetchScheduler#fetchAll} call, yielded in completion order, each
 * verified against its id.
 *
 * <p>Back-pressure: a blob takes one of {@code resultsInFlightMax} slots when its fetch starts
 * and gives it back when the consumer takes it, so fetched-but-unread blobs never exceed that
 * number whatever the consumer does, and neither do the blobs being fetched; at most {@code
 * min(parallelism, resultsInFlightMax)} are fetched at once. Give {@code resultsInFlightMax >=
 * parallelism} for full speed.
 *
 * <p>A blob that no holder serves intact fails the stream: {@link #hasNext} throws a {@link
 * CairnException} naming each holder's failure, with NOT_A_CONTRIBUTOR if any holder's reader
 * policy refused this reader, else NOT_FOUND unless every holder failed the same way. {@link
 * #cancel} (or {@link #close}) stops every fetch of the stream, e.g. once a
 * LIMIT is satisfied. All state is guarded by the scheduler's lock; methods ending in {@code
 * Locked} must be called holding it.
 */
public final class FetchStream implements Iterator<FetchedBlob>, AutoCloseable {
  /** Pending blobs looked at per pump for one whose holders have room; bounds the work. */
  private static final int PENDING_SCAN_MAX = 64;

  /** One blob's fetch: its attempts so far and why the failed ones failed. */
  static final class Job {
    final FetchRequest request;
    final Set<InetSocketAddress> tried = new HashSet<>();
    final List<Attempt> attempts = new ArrayList<>(2);
    final StringBuilder failures = new StringBuilder();
    final Set<ErrorCode> failureCodes = EnumSet.noneOf(ErrorCode.class);
    boolean done;

    Job(FetchRequest request) {
      this.request = request;
    }
  }

  /** One request of one blob to one holder; a hedge is a second attempt of a slow job. */
  static final class Attempt {
    final FetchStream stream;
    final Job job;
    final Holder holder;
    final boolean hedge;
    final long startNanos;
    VerifiedBlobRead read;
    boolean finished;

    Attempt(FetchStream stream, Job job, Holder holder, boolean hedge, long startNanos) {
      this.stream = stream;
      this.job = job;
      this.holder = holder;
      this.hedge = hedge;
      this.startNanos = startNanos;
    }
  }

  private final FetchScheduler scheduler;
  private final Object lock;
  private final int parallelism;
  private final int resultsInFlightMax;
  private final ArrayDeque<Job> pending = new ArrayDeque<>();
  private final List<Job> active = new ArrayList<>();
  private final ArrayDeque<FetchedBlob> ready = new ArrayDeque<>();
  private int undelivered;
  private int started;
  private CairnException failure;
  private boolean cancelled;

  FetchStream(FetchScheduler scheduler, List<FetchRequest> requests, int parallelism,
      int resultsInFlightMax) {
    this.scheduler = scheduler;
    this.lock = scheduler.lock();
    this.parallelism = parallelism;
    this.resultsInFlightMax = resultsInFlightMax;
    for (FetchRequest request : requests) {
      pending.add(new Job(request));
    }
    undelivered = requests.size();
  }

  /** Waits until a verified blob is ready (true) or every blob was taken (false). */
  @Override
  public boolean hasNext() {
    synchronized (lock) {
      while (true) {
        if (failure != null) {
          throw new CairnException(failure.code(), failure.detail(), failure);
        }
        if (!ready.isEmpty()) {
          return true;
        }
        if (cancelled || undelivered == 0) {
          return false;
        }
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          cancelLocked();
          throw new CairnException(ErrorCode.INTERNAL, "interrupted while waiting for blobs");
        }
      }
    }
  }

  /** Returns the next verified blob, waiting for one. */
  @Override
  public FetchedBlob next() {
    List<Attempt> toStart = new ArrayList<>();
    FetchedBlob blob;
    synchronized (lock) {
      if (!hasNext()) {
        throw new NoSuchElementException("every blob of this stream was taken");
      }
      blob = ready.poll();
      undelivered--;
      if (undelivered == 0) {
        scheduler.unregisterLocked(this);
      }
      pumpLocked(toStart);
    }
    scheduler.launch(toStart);
    return blob;
  }

  /** Stops every fetch of this stream; unread blobs are dropped. */
  public void cancel() {
    synchronized (lock) {
      cancelLocked();
    }
  }

  @Override
  public void close() {
    cancel();
  }

  /** Returns the number of verified blobs waiting for the consumer. */
  public int waitingResults() {
    synchronized (lock) {
      return ready.size();
    }
  }

  /** Returns the number of blobs whose fetch has started. */
  public int fetchesStarted() {
    synchronized (lock) {
      return started;
    }
  }

  /** Returns the number of attempts (first tries, failovers, hedges) running now. */
  public int attemptsInFlight() {
    synchronized (lock) {
      int running = 0;
      for (Job job : active) {
        running += job.attempts.size();
      }
      return running;
    }
  }

  /**
   * Returns true once waiting on this stream would not block: a blob is ready, it failed, it
   * was cancelled, or every blob was taken.
   */
  boolean settledLocked() {
    return failure != null || !ready.isEmpty() || cancelled || undelivered == 0;
  }

  boolean isOpenLocked() {
    return failure == null && !cancelled;
  }

  /** Starts what the slots and the holders' caps allow: failovers first, then new blobs. */
  void pumpLocked(List<Attempt> toStart) {
    for (Job job : List.copyOf(active)) {
      if (isOpenLocked() && job.attempts.isEmpty()) {
        failOverLocked(job, toStart);
      }
    }
    Iterator<Job> next = pending.iterator();
    int scanned = 0;
    while (isOpenLocked() && next.hasNext() && active.size() < parallelism
        && active.size() + ready.size() < resultsInFlightMax && scanned++ < PENDING_SCAN_MAX) {
      Job job = next.next();
      Attempt attempt = assignLocked(job, true, false);
      if (attempt != null) {
        next.remove();
        active.add(job);
        started++;
        toStart.add(attempt);
      }
    }
  }

  /**
   * Adds to {@code queued[i]} the blobs not yet started whose first holder (the one a reader's
   * directory lists first: the service's) is {@code holders.get(i)}.
   */
  void addPendingLocked(List<InetSocketAddress> holders, int[] queued) {
    for (Job job : pending) {
      InetSocketAddress first = job.request.holders().get(0);
      for (int i = 0; i < holders.size(); i++) {
        queued[i] += first.equals(holders.get(i)) ? 1 : 0;
      }
    }
  }

  /**
   * Returns true if an attempt of this stream runs at a holder that sent this scheduler nothing
   * for {@code stallNanos} before {@code now}, nor for the hedge factor times what a fetch of
   * that size takes there ({@link FetchScheduler#usualNanosLocked}), counting from the
   * attempt's start or the holder's last delivery, whichever is later.
   */
  boolean stalledLocked(long now, long stallNanos) {
    for (Job job : active) {
      for (Attempt attempt : job.attempts) {
        long since = Math.max(attempt.startNanos, attempt.holder.lastDeliveryNanos);
        long allowed = Math.max(stallNanos,
            scheduler.usualNanosLocked(attempt.holder, job.request.expectedBytes()));
        if (now - since > allowed) {
          return true;
        }
      }
    }
    return false;
  }

  /** Adds a hedge to every job whose only attempt has run too long. */
  void hedgeLocked(long now, List<Attempt> toStart) {
    for (Job job : active) {
      if (!isOpenLocked() || !scheduler.hedgeAllowedLocked()) {
        return;
      }
      if (job.attempts.size() != 1) {
        continue;
      }
      long threshold = scheduler.hedgeThresholdNanosLocked(job.request.expectedBytes());
      if (now - job.attempts.get(0).startNanos > threshold) {
        Attempt hedge = assignLocked(job, false, true);
        if (hedge != null) {
          toStart.add(hedge);
        }
      }
    }
  }

  private void failOverLocked(Job job, List<Attempt> toStart) {
    boolean untried = false;
    for (InetSocketAddress holder : job.request.holders()) {
      untried |= !job.tried.contains(holder);
    }
    if (!untried) {
      failLocked(job);
      return;
    }
    Attempt attempt = assignLocked(job, false, false);
    if (attempt != null) {
      toStart.add(attempt);
    }
  }

  private Attempt assignLocked(Job job, boolean nearOnly, boolean hedge) {
    List<Holder> candidates = new ArrayList<>(job.request.holders().size());
    for (InetSocketAddress address : job.request.holders()) {
      if (!job.tried.contains(address)) {
        candidates.add(scheduler.holderLocked(address));
      }
    }
    Holder chosen = scheduler.chooseLocked(candidates, job.request.expectedBytes(), nearOnly);
    if (chosen == null) {
      return null;
    }
    job.tried.add(chosen.address);
    Attempt attempt = new Attempt(this, job, chosen, hedge, System.nanoTime());
    job.attempts.add(attempt);
    scheduler.attemptStartedLocked(attempt);
    return attempt;
  }

  /**
   * Takes the outcome of an attempt; returns the failure to report to the listener, if any.
   * An attempt already finished (a cancelled loser) changes nothing.
   */
  CairnException attemptDoneLocked(Attempt attempt, byte[] bytes, CairnException error) {
    if (attempt.finished) {
      return null;
    }
    long now = System.nanoTime();
    scheduler.attemptEndedLocked(attempt);
    Job job = attempt.job;
    if (job.done || !isOpenLocked()) {
      return null;
    }
    if (error == null) {
      winLocked(attempt, bytes, now);
      return null;
    }
    job.failures.append("; ").append(HostPort.format(attempt.holder.address)).append(": ")
        .append(error.getMessage());
    job.failureCodes.add(error.code());
    if (error.code() == ErrorCode.NOT_FOUND || error.code() == ErrorCode.NOT_A_CONTRIBUTOR) {
      return null; // not held here, or a reader policy refusing this reader: no fault of it
    }
    if (error instanceof PeerBackoff.BackedOffException) {
      scheduler.unreachableLocked(attempt.holder); // not asked: nothing to strike it for
      return null;
    }
    scheduler.strikeLocked(attempt.holder, error.code(), now);
    return error;
  }

  private void winLocked(Attempt winner, byte[] bytes, long now) {
    Job job = winner.job;
    job.done = true;
    active.remove(job);
    long elapsed = now - winner.startNanos;
    for (Attempt loser : List.copyOf(job.attempts)) {
      // A loser slower than the winner is evidence that its holder is slow right now.
      long loserElapsed = now - loser.startNanos;
      scheduler.attemptEndedLocked(loser);
      if (loser.read != null) {
        loser.read.cancel();
      }
      if (loserElapsed > elapsed) {
        scheduler.observeSlowLocked(loser.holder, bytes.length, loserElapsed);
      }
    }
    scheduler.wonLocked(winner, bytes.length, elapsed);
    ready.add(new FetchedBlob(job.request.id(), bytes, winner.holder.address));
    lock.notifyAll();
  }

  private void failLocked(Job job) {
    // A refusal by donors' reader policies is what the reader can act on (give space, or name
    // a member's key), so it names the failure even when other holders lacked the blob.
    ErrorCode code = job.failureCodes.contains(ErrorCode.NOT_A_CONTRIBUTOR)
        ? ErrorCode.NOT_A_CONTRIBUTOR
        : job.failureCodes.size() == 1 ? job.failureCodes.iterator().next()
        : ErrorCode.NOT_FOUND;
    failure = new CairnException(code, "no holder served blob "
        + job.request.id().toShortHex() + " intact" + job.failures);
    stopLocked();
  }

  private void cancelLocked() {
    if (isOpenLocked()) {
      cancelled = true;
      stopLocked();
    }
  }

  private void stopLocked() {
    for (Job job : active) {
      for (Attempt attempt : List.copyOf(job.attempts)) {
        scheduler.attemptEndedLocked(attempt);
        if (attempt.read != null) {
          attempt.read.cancel();
        }
      }
    }
    active.clear();
    pending.clear();
    ready.clear();
    scheduler.unregisterLocked(this);
    lock.notifyAll();
  }
}
