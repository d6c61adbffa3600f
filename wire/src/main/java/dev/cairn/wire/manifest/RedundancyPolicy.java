package dev.cairn.wire.manifest;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;

/**
 * How a table version's batches survive lost donors: {@link Kind#REPLICAS}, every batch stored
 * whole on {@code r} distinct donors, or {@link Kind#ERASURE}, every batch cut into k data and m
 * parity shards of a Reed-Solomon code ({@link dev.cairn.wire.erasure.ReedSolomon}), one shard
 * per donor on k + m distinct donors, any k of which rebuild the batch (docs/protocol.md, 4.8).
 */
public final class RedundancyPolicy {
  /** The kind of redundancy, with the byte a manifest stores it as. */
  public enum Kind {
    /** Whole copies on {@code r} donors. */
    REPLICAS(1),
    /** Erasure coding with k data and m parity shards (manifest format 3). */
    ERASURE(2);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    /** Returns the byte this kind is stored as. */
    public int code() {
      return code;
    }
  }

  /** Fewest replicas: one copy, no redundancy at all. */
  public static final int REPLICAS_MIN = 1;
  /** Most replicas; more would only waste donors' space. */
  public static final int REPLICAS_MAX = 16;
  /**
   * Most shards (k + m) of an erasure-coded batch: each lands on its own donor, and wider
   * stripes only lengthen manifests and reads (Storj's 80 pieces serve a far larger network).
   */
  public static final int SHARDS_MAX = 32;

  private final Kind kind;
  private final int replicas;
  private final int dataShards;
  private final int parityShards;

  private RedundancyPolicy(Kind kind, int replicas, int dataShards, int parityShards) {
    this.kind = requireNonNull(kind, "kind");
    this.replicas = replicas;
    this.dataShards = dataShards;
    this.parityShards = parityShards;
  }

  /** Returns the policy "every batch on {@code r} donors", 1 ≤ r ≤ 16. */
  public static RedundancyPolicy replicas(int r) {
    if (r < REPLICAS_MIN || r > REPLICAS_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "replica count must be " + REPLICAS_MIN
          + " to " + REPLICAS_MAX + ", not " + r);
    }
    return new RedundancyPolicy(Kind.REPLICAS, r, 0, 0);
  }

  /**
   * Returns the policy "every batch as k data + m parity shards on k + m donors": 1 ≤ k,
   * 1 ≤ m, k + m ≤ {@link #SHARDS_MAX}; BAD_FORMAT otherwise.
   */
  public static RedundancyPolicy erasure(int k, int m) {
    if (k < 1 || m < 1 || k + m > SHARDS_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "erasure coding needs k ≥ 1 data and "
          + "m ≥ 1 parity shards with k + m ≤ " + SHARDS_MAX + ", not " + k + "+" + m);
    }
    return new RedundancyPolicy(Kind.ERASURE, 0, k, m);
  }

  public Kind kind() {
    return kind;
  }

  /** Returns true for an erasure-coded policy. */
  public boolean isErasure() {
    return kind == Kind.ERASURE;
  }

  /** Returns how many donors hold each batch whole; IllegalStateException for erasure. */
  public int replicas() {
    if (kind != Kind.REPLICAS) {
      throw new IllegalStateException("an erasure-coded policy has shards, not replicas");
    }
    return replicas;
  }

  /** Returns k, the data shards per batch (0 for replicas). */
  public int dataShards() {
    return dataShards;
  }

  /** Returns m, the parity shards per batch (0 for replicas). */
  public int parityShards() {
    return parityShards;
  }

  /** Returns k + m (0 for replicas). */
  public int shardCount() {
    return dataShards + parityShards;
  }

  /** Returns how many distinct donors one batch occupies: r copies or k + m shards. */
  public int donorsPerBatch() {
    return kind == Kind.REPLICAS ? replicas : shardCount();
  }

  /** Returns how many donors may be lost without losing a batch: r - 1 or m. */
  public int lossesTolerated() {
    return kind == Kind.REPLICAS ? replicas - 1 : parityShards;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RedundancyPolicy)) {
      return false;
    }
    RedundancyPolicy p = (RedundancyPolicy) o;
    return kind == p.kind && replicas == p.replicas && dataShards == p.dataShards
        && parityShards == p.parityShards;
  }

  @Override
  public int hashCode() {
    return ((kind.hashCode() * 31 + replicas) * 31 + dataShards) * 31 + parityShards;
  }

  @Override
  public String toString() {
    return kind == Kind.REPLICAS ? kind + "(" + replicas + ")"
        : kind + "(" + dataShards + "+" + parityShards + ")";
  }
}
