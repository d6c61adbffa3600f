package dev.cairn.wire.rpc;

import dev.cairn.wire.BusyException;
import dev.cairn.wire.HostPort;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Remembers peers that did not answer in time (a handshake or a call timed out) or refused us
 * as BUSY, so that a hung peer costs one timeout per backoff period instead of one per request.
 *
 * <p>Design: each failing address has a window during which {@link #admit} says no and
 * callers fail fast with {@link BackedOffException}. The first unresponsive result opens a
 * window of {@link #BACKOFF_MIN}; each further one, recorded after the window ended, doubles it
 * up to {@link #BACKOFF_MAX}. When a window ends, the next {@link #admit} is the probe: it is
 * let through alone (others still fail fast until it settles), and {@link #answered} forgets
 * the address while {@link #unresponsive} opens the next, longer window. A BUSY with a retry
 * hint opens a window of at least the hint. Results recorded during a window (other requests
 * that were already waiting on the same hung peer) change nothing, so one hang is counted once.
 *
 * <p>Callers that order peers (a reader's holders, a donor's repair sources) ask {@link
 * #isBackedOff} and put those last; they never drop a peer for it, so the only peer of a blob
 * is still asked (and fails fast while its window lasts). Thread safe; at most {@link
 * #ADDRESSES_MAX} addresses are remembered.
 */
public final class PeerBackoff {
  /** The first backoff after a timeout: longer than one timeout costs, short enough to heal. */
  public static final Duration BACKOFF_MIN = Duration.ofSeconds(2);
  /** The longest backoff; a peer hung for hours is still probed once a minute. */
  public static final Duration BACKOFF_MAX = Duration.ofSeconds(60);
  /** Addresses remembered at most; past it, entries whose window ended are dropped first. */
  static final int ADDRESSES_MAX = 4096;

  /** Thrown instead of contacting a peer that is backing off; BUSY, with the time left. */
  public static final class BackedOffException extends BusyException {
    private static final long serialVersionUID = 1L;

    BackedOffException(InetSocketAddress address, long retryAfterMillis, String why) {
      super(HostPort.format(address) + " " + why + "; not asked again for " + retryAfterMillis
          + " ms", retryAfterMillis);
    }
  }

  private static final class State {
    int strikes;
    long untilNanos;
    boolean probing;
    String why = "did not answer in time";
  }

  private final long minNanos;
  private final long maxNanos;
  private final Map<InetSocketAddress, State> states = new HashMap<>();
  private long backoffsStarted;
  private long refusals;

  /** Creates a backoff with {@link #BACKOFF_MIN} and {@link #BACKOFF_MAX}. */
  public PeerBackoff() {
    this(BACKOFF_MIN, BACKOFF_MAX);
  }

  /** Creates a backoff from {@code min} doubling up to {@code max}. */
  public PeerBackoff(Duration min, Duration max) {
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < min <= max: " + min + ", " + max);
    }
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
  }

  /**
   * Returns normally if {@code address} may be contacted now (marking this caller as the probe
   * when a window just ended); throws {@link BackedOffException} otherwise.
   */
  public synchronized void admit(InetSocketAddress address) {
    State state = states.get(address);
    if (state == null) {
      return;
    }
    long now = System.nanoTime();
    long left = state.untilNanos - now;
    if (left > 0 || state.probing) {
      refusals++;
      throw new BackedOffException(address, Math.max(0, TimeUnit.NANOSECONDS.toMillis(left)),
          state.probing && left <= 0 ? "is being probed after not answering" : state.why);
    }
    state.probing = true;
  }

  /** Returns true while {@code address} is in a window or being probed: order it last. */
  public synchronized boolean isBackedOff(InetSocketAddress address) {
    State state = states.get(address);
    return state != null && (state.probing || state.untilNanos - System.nanoTime() > 0);
  }

  /** Records that {@code address} answered: it is forgotten. */
  public synchronized void answered(InetSocketAddress address) {
    states.remove(address);
  }

  /** Records a timeout at {@code address}; opens the next window unless one is open. */
  public synchronized void unresponsive(InetSocketAddress address) {
    open(address, 0, "did not answer in time");
  }

  /** Records a BUSY refusal that asked to retry after {@code retryAfterMillis} (0: no hint). */
  public synchronized void busy(InetSocketAddress address, long retryAfterMillis) {
    open(address, TimeUnit.MILLISECONDS.toNanos(Math.max(0, retryAfterMillis)),
        "refused us as busy");
  }

  /** Ends a probe that failed quickly without a timeout (a refused connect): no new window. */
  public synchronized void probeEnded(InetSocketAddress address) {
    State state = states.get(address);
    if (state != null) {
      state.probing = false;
    }
  }

  private void open(InetSocketAddress address, long atLeastNanos, String why) {
    long now = System.nanoTime();
    State state = states.get(address);
    if (state != null && !state.probing && state.untilNanos - now > 0) {
      return; // already backing off: another request waited on the same hang
    }
    if (state == null) {
      makeRoom(now);
      state = new State();
      states.put(address, state);
    }
    long windowNanos = Math.min(maxNanos, minNanos << Math.min(state.strikes, 20));
    state.strikes++;
    state.untilNanos = now + Math.max(windowNanos, Math.min(atLeastNanos, maxNanos));
    state.probing = false;
    state.why = why;
    backoffsStarted++;
  }

  private void makeRoom(long now) {
    if (states.size() < ADDRESSES_MAX) {
      return;
    }
    states.values().removeIf(s -> !s.probing && s.untilNanos - now <= 0);
    if (states.size() >= ADDRESSES_MAX) {
      states.clear(); // all in windows: forgetting them costs at most one timeout each
    }
  }

  /** Returns how many backoff windows were opened (tests and counters). */
  public synchronized long backoffsStarted() {
    return backoffsStarted;
  }

  /** Returns how many contacts were refused because their peer was backing off. */
  public synchronized long refusals() {
    return refusals;
  }
}
