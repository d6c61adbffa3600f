package dev.cairn.server.heal;

import java.util.concurrent.atomic.LongAdder;

/**
 * What anti-entropy, the peer auditor and the scrubber did since start: read by tests,
 * logged, and useful to a donor watching its node. Not durable.
 */
public final class HealCounters {
  private final LongAdder rounds = new LongAdder();
  private final LongAdder pulledBlobs = new LongAdder();
  private final LongAdder pulledBytes = new LongAdder();
  private final LongAdder droppedBlobs = new LongAdder();
  private final LongAdder badPeerBlobs = new LongAdder();
  private final LongAdder refusedPulls = new LongAdder();
  private final LongAdder orphansDropped = new LongAdder();
  private final LongAdder scrubbedBlobs = new LongAdder();
  private final LongAdder scrubbedBytes = new LongAdder();
  private final LongAdder corruptFound = new LongAdder();
  private final LongAdder vanishedFound = new LongAdder();
  private final LongAdder scrubPasses = new LongAdder();
  private final LongAdder auditsPassed = new LongAdder();
  private final LongAdder auditsFailed = new LongAdder();
  private final LongAdder auditsUnanswered = new LongAdder();
  private final LongAdder auditsManifestWrong = new LongAdder();
  private final java.util.concurrent.atomic.AtomicLong unauditableShards =
      new java.util.concurrent.atomic.AtomicLong();

  void round() {
    rounds.increment();
  }

  void pulled(long bytes) {
    pulledBlobs.increment();
    pulledBytes.add(bytes);
  }

  void dropped() {
    droppedBlobs.increment();
  }

  void badPeer() {
    badPeerBlobs.increment();
  }

  void refused() {
    refusedPulls.increment();
  }

  void orphanDropped() {
    orphansDropped.increment();
  }

  void scrubbed(long bytes) {
    scrubbedBlobs.increment();
    scrubbedBytes.add(bytes);
  }

  /** Counts a blob quarantined because its bytes no longer match its id. */
  public void corrupt() {
    corruptFound.increment();
  }

  /** Counts a blob dropped from the index because its file is gone or truncated. */
  public void vanished() {
    vanishedFound.increment();
  }

  void scrubPass() {
    scrubPasses.increment();
  }

  void auditPassed() {
    auditsPassed.increment();
  }

  void auditFailed() {
    auditsFailed.increment();
  }

  void auditUnanswered() {
    auditsUnanswered.increment();
  }

  void auditManifestWrong() {
    auditsManifestWrong.increment();
  }

  /** Anti-entropy rounds completed (successfully or not). */
  public long rounds() {
    return rounds.sum();
  }

  /** Blobs fetched from peers, verified and stored. */
  public long pulledBlobs() {
    return pulledBlobs.sum();
  }

  public long pulledBytes() {
    return pulledBytes.sum();
  }

  /** Copies dropped because placement no longer wants them here (or keep-versions). */
  public long droppedBlobs() {
    return droppedBlobs.sum();
  }

  /** Pulls whose bytes did not match the id (each reported to the metadata service). */
  public long badPeerBlobs() {
    return badPeerBlobs.sum();
  }

  /** Blobs no signed manifest named, dropped after the orphan grace with their charges. */
  public long orphansDropped() {
    return orphansDropped.sum();
  }

  /** Pulls this node refused to store (quota or capacity). */
  public long refusedPulls() {
    return refusedPulls.sum();
  }

  public long scrubbedBlobs() {
    return scrubbedBlobs.sum();
  }

  public long scrubbedBytes() {
    return scrubbedBytes.sum();
  }

  /** Blobs found not matching their id (by the scrubber or a request), and quarantined. */
  public long corruptFound() {
    return corruptFound.sum();
  }

  /** Blobs whose file was found gone or truncated (by the scrubber or a request). */
  public long vanishedFound() {
    return vanishedFound.sum();
  }

  /** Complete scrub passes over the store. */
  public long scrubPasses() {
    return scrubPasses.sum();
  }

  /** Chunk audits of peers whose chunk and proof verified. */
  public long auditsPassed() {
    return auditsPassed.sum();
  }

  /** Chunk audits a peer failed or answered NOT_FOUND (each reported). */
  public long auditsFailed() {
    return auditsFailed.sum();
  }

  /** Chunk audits without a verdict: the peer did not answer, or could not be judged. */
  public long auditsUnanswered() {
    return auditsUnanswered.sum();
  }

  /** Chunk audits that found the manifest's chunk root or size wrong, not the peer. */
  public long auditsManifestWrong() {
    return auditsManifestWrong.sum();
  }

  /** Notes how many shards the latest round's view left unaudited for their size. */
  void unauditableShards(long count) {
    unauditableShards.set(count);
  }

  /**
   * Shards of stripes this donor holds a shard of that are larger than a peer audit reads
   * whole (16 MiB, docs/protocol.md 4.8) and so are not audited, as of the latest round; only
   * another writer's publisher makes them.
   */
  public long unauditableShards() {
    return unauditableShards.get();
  }
}
