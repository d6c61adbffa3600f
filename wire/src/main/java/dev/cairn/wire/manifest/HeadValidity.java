package dev.cairn.wire.manifest;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.Units;
import java.time.Duration;
import java.time.Instant;

/**
 * How long a head is valid under its writer's freshness promise (docs/protocol.md, 4.7): a
 * manifest with {@code refreshEveryMillis} = 0 never expires; one with a promise is valid until
 * the later of {@code createdAt + refreshEvery} and the newest verified {@link HeadTimestamp}
 * for that exact manifest, plus {@link #skewAllowanceMillis}. Readers and metadata services
 * use the same rules, so what one accepts the other does too.
 */
public final class HeadValidity {
  /** Longest clock-skew allowance, whatever the promise. */
  public static final long SKEW_ALLOWANCE_MILLIS_MAX = 30_000L;
  /** How many refresh periods ahead a timestamp may reach: a writer may sign a little early. */
  public static final int REFRESH_PERIODS_AHEAD_MAX = 2;

  private HeadValidity() {}

  /**
   * Returns how far two clocks may disagree before a head is called expired (or a timestamp too
   * far ahead): one refresh period, at most 30 s. A writer promising 2 s must keep its
   * clock within 2 s of its readers'; one promising an hour gets 30 s of slack.
   */
  public static long skewAllowanceMillis(long refreshEveryMillis) {
    return Math.min(refreshEveryMillis, SKEW_ALLOWANCE_MILLIS_MAX);
  }

  /**
   * Returns when {@code head} stops being valid, skew allowance not included, given the newest
   * timestamp known for it ({@code timestamp} may be null or of another head, then ignored);
   * {@link Long#MAX_VALUE} if its manifest makes no promise.
   */
  public static long expiresAtMillis(SignedManifest head, HeadTimestamp timestamp) {
    Manifest m = head.manifest();
    long refreshEvery = m.refreshEveryMillis();
    if (refreshEvery == 0) {
      return Long.MAX_VALUE;
    }
    long fromManifest = saturatedAdd(m.createdAtMillis(), refreshEvery);
    if (timestamp != null && timestamp.matches(head)) {
      return Math.max(fromManifest, timestamp.validUntilMillis());
    }
    return fromManifest;
  }

  /** Returns true if {@code head} has expired at {@code nowMillis}, skew allowance included. */
  public static boolean expired(SignedManifest head, HeadTimestamp timestamp, long nowMillis) {
    long expiresAt = expiresAtMillis(head, timestamp);
    long allowance = skewAllowanceMillis(head.manifest().refreshEveryMillis());
    return expiresAt != Long.MAX_VALUE && nowMillis > saturatedAdd(expiresAt, allowance);
  }

  /**
   * Returns the latest {@code validUntil} a metadata service accepts at {@code nowMillis} for a
   * head promising {@code refreshEveryMillis}: two periods plus the skew allowance ahead.
   */
  public static long validUntilMaxMillis(long refreshEveryMillis, long nowMillis) {
    return saturatedAdd(nowMillis, REFRESH_PERIODS_AHEAD_MAX * refreshEveryMillis
        + skewAllowanceMillis(refreshEveryMillis));
  }

  /**
   * Throws FROZEN if {@code head}, the newest head of {@code schema.table} a reader was
   * offered, has expired at {@code nowMillis}; a reader then refuses rather than answer from
   * data its writer no longer vouches for.
   */
  public static void checkNotFrozen(String schema, SignedManifest head, HeadTimestamp timestamp,
      long nowMillis) {
    if (!expired(head, timestamp, nowMillis)) {
      return;
    }
    long refreshEvery = head.manifest().refreshEveryMillis();
    throw new CairnException(ErrorCode.FROZEN, "newest head of " + schema + "."
        + head.manifest().tableName() + " expired at "
        + Instant.ofEpochMilli(expiresAtMillis(head, timestamp)) + " (promised refresh every "
        + Units.formatDuration(Duration.ofMillis(refreshEvery)) + "); the metadata services"
        + " may be withholding newer versions");
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
  }
}
