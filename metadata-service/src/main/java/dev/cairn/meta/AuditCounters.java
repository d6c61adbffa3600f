package dev.cairn.meta;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Running totals of the metadata service's audits since it started (docs/operations.md,
 * "Reputation"): what operators and tests read to see the auditor at work.
 */
public final class AuditCounters {
  final AtomicLong rounds = new AtomicLong();
  final AtomicLong passed = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong unanswered = new AtomicLong();
  final AtomicLong chunkBytes = new AtomicLong();
  final AtomicLong disqualifications = new AtomicLong();
  final AtomicLong reinstatements = new AtomicLong();
  final AtomicLong reportsQueued = new AtomicLong();
  final AtomicLong reportsIgnored = new AtomicLong();

  /** Audit rounds run (scheduled or {@link MetadataService#auditOnce}). */
  public long rounds() {
    return rounds.get();
  }

  /** Challenges answered with the right chunk. */
  public long passed() {
    return passed.get();
  }

  /** Challenges answered with anything else (wrong bytes or proof, NOT_FOUND, refusals). */
  public long failed() {
    return failed.get();
  }

  /** Challenges with no answer in time (connection refused, timeout, BUSY). */
  public long unanswered() {
    return unanswered.get();
  }

  /** Chunk bytes received for verification. */
  public long chunkBytes() {
    return chunkBytes.get();
  }

  /** Nodes that fell below the disqualification threshold. */
  public long disqualifications() {
    return disqualifications.get();
  }

  /** Disqualified nodes whose score climbed back to the reinstatement level. */
  public long reinstatements() {
    return reinstatements.get();
  }

  /** Bad-holder reports that queued a prompt audit. */
  public long reportsQueued() {
    return reportsQueued.get();
  }

  /** Bad-holder reports ignored (reporter not in good standing, limits, unclaimed blob). */
  public long reportsIgnored() {
    return reportsIgnored.get();
  }

  @Override
  public String toString() {
    return "audits: " + rounds() + " rounds, " + passed() + " passed, " + failed()
        + " failed, " + unanswered() + " unanswered, " + chunkBytes() + " chunk bytes; "
        + disqualifications() + " disqualifications, " + reinstatements()
        + " reinstatements; reports " + reportsQueued() + " queued, " + reportsIgnored()
        + " ignored";
  }
}
