package dev.cairn.server.heal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;

/**
 * How a donor keeps its share healthy (docs/operations.md, "Health").
 *
 * @param repairInterval pause between anti-entropy rounds
 * @param repairBytesPerSecond limit on bytes pulled from peers; 0 unlimited
 * @param scrubInterval pause between the starts of two scrub passes over the store
 * @param scrubBytesPerSecond limit on bytes the scrubber reads; 0 unlimited
 * @param keepVersionsByKey by writer key fingerprint: how many newest versions of each of its
 *     tables this donor keeps (at least 1); keys not listed keep every version
 * @param auditInterval mean pause between two chunk audits of a peer ({@link PeerAuditor});
 *     each pause is drawn uniformly from half to one and a half times this
 * @param orphanGrace how long a blob no signed manifest names may stay charged after its
 *     upload, or after a writer last asked for it, before it is dropped ({@link
 *     OrphanCollector}); a publish must finish within it
 */
public record HealConfig(Duration repairInterval, long repairBytesPerSecond,
    Duration scrubInterval, long scrubBytesPerSecond, Map<String, Integer> keepVersionsByKey,
    Duration auditInterval, Duration orphanGrace) {
  public static final Duration DEFAULT_REPAIR_INTERVAL = Duration.ofSeconds(30);
  public static final long DEFAULT_REPAIR_BYTES_PER_SECOND = 100L << 20;
  public static final Duration DEFAULT_SCRUB_INTERVAL = Duration.ofHours(1);
  public static final long DEFAULT_SCRUB_BYTES_PER_SECOND = 50L << 20;
  /** One 64 KiB challenge every 10 s on average: 8 640 a day, 540 MiB a day per donor. */
  public static final Duration DEFAULT_AUDIT_INTERVAL = Duration.ofSeconds(10);
  /** A day: a failed publish can be resumed the next morning without sending anything again. */
  public static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofHours(24);

  /** Creates a configuration with the default orphan grace. */
  public HealConfig(Duration repairInterval, long repairBytesPerSecond, Duration scrubInterval,
      long scrubBytesPerSecond, Map<String, Integer> keepVersionsByKey,
      Duration auditInterval) {
    this(repairInterval, repairBytesPerSecond, scrubInterval, scrubBytesPerSecond,
        keepVersionsByKey, auditInterval, DEFAULT_ORPHAN_GRACE);
  }

  public HealConfig {
    requireNonNull(repairInterval, "repairInterval");
    requireNonNull(scrubInterval, "scrubInterval");
    requireNonNull(auditInterval, "auditInterval");
    requireNonNull(orphanGrace, "orphanGrace");
    keepVersionsByKey = Map.copyOf(keepVersionsByKey);
    if (repairInterval.isNegative() || repairInterval.isZero()
        || scrubInterval.isNegative() || scrubInterval.isZero()
        || auditInterval.isNegative() || auditInterval.isZero()) {
      throw new IllegalArgumentException("repair, scrub and audit intervals must be > 0");
    }
    if (orphanGrace.isNegative() || orphanGrace.isZero()) {
      throw new IllegalArgumentException("orphan-grace must be > 0");
    }
    if (repairBytesPerSecond < 0 || scrubBytesPerSecond < 0) {
      throw new IllegalArgumentException("repair and scrub rates must be >= 0");
    }
    for (Map.Entry<String, Integer> keep : keepVersionsByKey.entrySet()) {
      if (keep.getValue() < 1) {
        throw new IllegalArgumentException("keep-versions of " + keep.getKey()
            + " must be >= 1: the newest version is always kept");
      }
    }
  }

  /**
   * Returns the defaults: repair every 30 s at 100 MiB/s, scrub hourly at 50 MiB/s, audit a
   * peer's chunk every 10 s, drop unreferenced blobs a day after upload.
   */
  public static HealConfig defaults() {
    return new HealConfig(DEFAULT_REPAIR_INTERVAL, DEFAULT_REPAIR_BYTES_PER_SECOND,
        DEFAULT_SCRUB_INTERVAL, DEFAULT_SCRUB_BYTES_PER_SECOND, Map.of(),
        DEFAULT_AUDIT_INTERVAL);
  }

  public HealConfig withRepair(Duration interval, long bytesPerSecond) {
    return new HealConfig(interval, bytesPerSecond, scrubInterval, scrubBytesPerSecond,
        keepVersionsByKey, auditInterval, orphanGrace);
  }

  public HealConfig withScrub(Duration interval, long bytesPerSecond) {
    return new HealConfig(repairInterval, repairBytesPerSecond, interval, bytesPerSecond,
        keepVersionsByKey, auditInterval, orphanGrace);
  }

  public HealConfig withKeepVersions(Map<String, Integer> byKey) {
    return new HealConfig(repairInterval, repairBytesPerSecond, scrubInterval,
        scrubBytesPerSecond, byKey, auditInterval, orphanGrace);
  }

  /** Returns this configuration with chunk audits every {@code interval} on average. */
  public HealConfig withAuditInterval(Duration interval) {
    return new HealConfig(repairInterval, repairBytesPerSecond, scrubInterval,
        scrubBytesPerSecond, keepVersionsByKey, interval, orphanGrace);
  }

  /** Returns this configuration with unreferenced blobs dropped {@code grace} after upload. */
  public HealConfig withOrphanGrace(Duration grace) {
    return new HealConfig(repairInterval, repairBytesPerSecond, scrubInterval,
        scrubBytesPerSecond, keepVersionsByKey, auditInterval, grace);
  }
}
