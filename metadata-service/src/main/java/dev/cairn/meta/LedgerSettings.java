package dev.cairn.meta;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the contribution ledger counts (docs/protocol.md 9.9, docs/operations.md "Join the
 * network"): credit grows by audited bytes held × time / {@code creditPeriod}, so holding
 * 1 GiB for one period earns 1 GiB of credit.
 *
 * @param creditPeriod the time one byte must be held, audited, to earn one byte of credit
 *     (default one day)
 * @param starterAllowanceBytes credit every node in good standing has from the start, so a
 *     new member's first queries are served (default 1 GiB)
 * @param accrualInterval how often credit is added (default 10 s)
 */
public record LedgerSettings(Duration creditPeriod, long starterAllowanceBytes,
    Duration accrualInterval) {
  /** Default {@link #creditPeriod}. */
  public static final Duration CREDIT_PERIOD_DEFAULT = Duration.ofDays(1);
  /** Default {@link #starterAllowanceBytes}. */
  public static final long STARTER_ALLOWANCE_DEFAULT = 1L << 30;
  /** Default {@link #accrualInterval}. */
  public static final Duration ACCRUAL_INTERVAL_DEFAULT = Duration.ofSeconds(10);

  /** Checks the values. */
  public LedgerSettings {
    requireNonNull(creditPeriod, "creditPeriod");
    requireNonNull(accrualInterval, "accrualInterval");
    if (creditPeriod.toMillis() < 1 || accrualInterval.toMillis() < 1
        || starterAllowanceBytes < 0) {
      throw new IllegalArgumentException("credit period and accrual interval must be at least "
          + "1 ms and the starter allowance at least 0");
    }
  }

  /** Returns the defaults: one day per byte of credit, 1 GiB to start, accrued every 10 s. */
  public static LedgerSettings defaults() {
    return new LedgerSettings(CREDIT_PERIOD_DEFAULT, STARTER_ALLOWANCE_DEFAULT,
        ACCRUAL_INTERVAL_DEFAULT);
  }

  @Override
  public String toString() {
    return "credit-period=" + creditPeriod.toMillis() + "ms, starter-allowance="
        + starterAllowanceBytes + "B, accrual-interval=" + accrualInterval.toMillis() + "ms";
  }
}
