package dev.cairn.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one bounded wait for something a cluster does in the background (heartbeats, repair,
 * gossip): polls a condition until it holds or a time limit passes.
 *
 * <p>Every pass recomputes the time left on one monotonic clock, and the pause between passes
 * never runs past the limit. An interrupt restores the flag and ends the wait as failed.
 */
public final class Await {
  /** Pause between two looks at the condition. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(25);

  private Await() {}

  /** Returns whether {@code condition} held within {@code limit}; it is asked at least once. */
  public static boolean eventually(Duration limit, BooleanSupplier condition) {
    requireNonNull(condition, "condition");
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      long leftNanos = deadline - System.nanoTime();
      if (leftNanos <= 0) {
        return false;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(leftNanos, POLL_INTERVAL.toNanos()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /**
   * Waits until {@code condition} holds, else throws IllegalStateException saying that {@code
   * what} did not happen within {@code limit}, with {@code state} (asked then) appended.
   */
  public static void until(Duration limit, String what, Supplier<String> state,
      BooleanSupplier condition) {
    if (!eventually(limit, condition)) {
      throw new IllegalStateException(what + " did not happen within " + limit.toMillis()
          + " ms" + (Thread.currentThread().isInterrupted() ? " (interrupted)" : "") + ": "
          + state.get());
    }
  }

  /** Like {@link #until(Duration, String, Supplier, BooleanSupplier)} with no state to add. */
  public static void until(Duration limit, String what, BooleanSupplier condition) {
    until(limit, what, () -> "still not so", condition);
  }
}
