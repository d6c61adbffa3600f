package dev.cairn.wire.manifest;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;

/**
 * How many donors must hold each batch of a table version. Format version 1 supports only
 * {@link Kind#REPLICAS}: every batch is stored whole on {@code r} distinct donors. The code of
 * {@link Kind#ERASURE} (k data + m parity shards) is reserved so that a later format can add it
 * without renumbering, but nothing builds one today and decoders reject it as unsupported.
 */
public final class RedundancyPolicy {
  /** The kind of redundancy, with the byte a manifest stores it as. */
  public enum Kind {
    /** Whole copies on {@code r} donors. */
    REPLICAS(1),
    /** Reserved: erasure coding with k data and m parity shards. Not supported yet. */
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

  private final Kind kind;
  private final int replicas;

  private RedundancyPolicy(Kind kind, int replicas) {
    this.kind = requireNonNull(kind, "kind");
    this.replicas = replicas;
  }

  /** Returns the policy "every batch on {@code r} donors", 1 ≤ r ≤ 16. */
  public static RedundancyPolicy replicas(int r) {
    if (r < REPLICAS_MIN || r > REPLICAS_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "replica count must be " + REPLICAS_MIN
          + " to " + REPLICAS_MAX + ", not " + r);
    }
    return new RedundancyPolicy(Kind.REPLICAS, r);
  }

  public Kind kind() {
    return kind;
  }

  /** Returns how many donors hold each batch. */
  public int replicas() {
    return replicas;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RedundancyPolicy)) {
      return false;
    }
    RedundancyPolicy p = (RedundancyPolicy) o;
    return kind == p.kind && replicas == p.replicas;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + replicas;
  }

  @Override
  public String toString() {
    return kind + "(" + replicas + ")";
  }
}
