package dev.cairn.meta;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How often and how hard the metadata service audits storage nodes (docs/operations.md,
 * "Reputation").
 *
 * @param interval pause between the starts of two audit rounds; each round challenges every
 *     live node once. {@link Duration#ZERO} runs no rounds on its own (tests call {@link
 *     MetadataService#auditOnce})
 * @param hintDelay how soon after a report from a node in good standing its audit runs
 * @param timeout how long one challenge (connect, ask, answer) may take before it counts as
 *     unanswered
 * @param concurrency most challenges in flight at once
 */
public record AuditSchedule(Duration interval, Duration hintDelay, Duration timeout,
    int concurrency) {
  /** Default round interval: each node proves one 64 KiB chunk per minute to each service. */
  public static final Duration INTERVAL_DEFAULT = Duration.ofSeconds(60);
  /** Default delay of a report's prompt audit. */
  public static final Duration HINT_DELAY_DEFAULT = Duration.ofSeconds(2);
  /** Default time one challenge may take. */
  public static final Duration TIMEOUT_DEFAULT = Duration.ofSeconds(10);
  /** Default most challenges in flight. */
  public static final int CONCURRENCY_DEFAULT = 2;
  /** Most challenges in flight that a configuration may ask for. */
  public static final int CONCURRENCY_MAX = 64;

  /** Checks the values. */
  public AuditSchedule {
    requireNonNull(interval, "interval");
    requireNonNull(hintDelay, "hintDelay");
    requireNonNull(timeout, "timeout");
    if (interval.isNegative() || hintDelay.isNegative() || hintDelay.isZero()
        || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("audit interval must be >= 0, hint delay and "
          + "timeout > 0");
    }
    if (concurrency < 1 || concurrency > CONCURRENCY_MAX) {
      throw new IllegalArgumentException("audit concurrency must be 1.." + CONCURRENCY_MAX
          + ", not " + concurrency);
    }
  }

  /** Returns the defaults: a round a minute, prompt audits 2 s after a report, 2 at a time. */
  public static AuditSchedule defaults() {
    return new AuditSchedule(INTERVAL_DEFAULT, HINT_DELAY_DEFAULT, TIMEOUT_DEFAULT,
        CONCURRENCY_DEFAULT);
  }

  /** Returns a schedule with no rounds of its own, for tests that call auditOnce. */
  public static AuditSchedule manual() {
    return new AuditSchedule(Duration.ZERO, HINT_DELAY_DEFAULT, Duration.ofSeconds(5),
        CONCURRENCY_DEFAULT);
  }

  /** Returns a quick schedule for tests and demos: a round every {@code interval}. */
  public static AuditSchedule every(Duration interval) {
    return new AuditSchedule(interval, Duration.ofMillis(100), Duration.ofSeconds(5),
        CONCURRENCY_DEFAULT);
  }

  /** Returns whether rounds run on their own. */
  public boolean scheduled() {
    return !interval.isZero();
  }
}
