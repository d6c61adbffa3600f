package dev.cairn.wire;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;

/**
 * The lattice along which a table's column type may change from one version to the next
 * (docs/protocol.md, 4.9): a type widens to another when every value of the first is exactly a
 * value of the second, so a batch stored with the narrower type reads, cast, as the wider one
 * without loss, and its signed statistics bounds stay true. Its edges:
 *
 * <ul>
 *   <li>TINYINT → SMALLINT → INTEGER → BIGINT and REAL → DOUBLE ({@link #widerKinds}, one
 *       line per edge; the relation is their transitive closure);
 *   <li>DECIMAL(p, s) → DECIMAL(p', s) with p' ≥ p (same kind, {@link #sameKindWidens}).
 * </ul>
 *
 * <p>Anything to VARCHAR is deliberately not a widening: the text of a number or a date is a
 * choice of spelling (DuckDB's, Java's, the input's), and its order is not the value's, so old
 * bounds would prune wrongly.
 */
public final class TypeWidening {
  private TypeWidening() {}

  /**
   * Returns the kinds a column of {@code kind} may widen to in one step. One line per edge: add
   * an edge here and casts, bounds and checks follow. Exhaustive without {@code default}, so a
   * new kind does not compile until it is given its edges (none is a fine answer).
   */
  static Set<ColumnType.Kind> widerKinds(ColumnType.Kind kind) {
    return switch (kind) {
      case TINYINT -> EnumSet.of(ColumnType.Kind.SMALLINT);
      case SMALLINT -> EnumSet.of(ColumnType.Kind.INTEGER);
      case INTEGER -> EnumSet.of(ColumnType.Kind.BIGINT);
      case REAL -> EnumSet.of(ColumnType.Kind.DOUBLE);
      // TIMESTAMP → TIMESTAMPTZ is not an edge: a zone-less value has no instant to keep.
      case BIGINT, DOUBLE, DECIMAL, DATE, TIMESTAMP, TIMESTAMPTZ, TIME, VARCHAR, BOOLEAN,
          VARBINARY, UUID -> EnumSet.noneOf(ColumnType.Kind.class);
    };
  }

  /**
   * Returns true if a column stored as {@code from} may be read as {@code to}: equal types, a
   * DECIMAL of the same scale and no smaller precision, or a kind reachable along {@link
   * #widerKinds}.
   */
  public static boolean widensTo(ColumnType from, ColumnType to) {
    if (from.kind() == to.kind()) {
      return sameKindWidens(from, to);
    }
    Set<ColumnType.Kind> seen = EnumSet.of(from.kind());
    Deque<ColumnType.Kind> next = new ArrayDeque<>(seen);
    while (!next.isEmpty()) { // bounded: each kind is queued at most once
      for (ColumnType.Kind wider : widerKinds(next.poll())) {
        if (wider == to.kind()) {
          return true;
        }
        if (seen.add(wider)) {
          next.add(wider);
        }
      }
    }
    return false;
  }

  /** Returns true if {@code to} (of the same kind) holds every value of {@code from}. */
  private static boolean sameKindWidens(ColumnType from, ColumnType to) {
    if (from.kind() == ColumnType.Kind.DECIMAL) {
      return from.scale() == to.scale() && from.precision() <= to.precision();
    }
    return from.equals(to);
  }

  /**
   * Returns whichever of {@code a} and {@code b} the other widens to, or null if neither does:
   * the type a table keeps when one version has {@code a} and the next {@code b}.
   */
  public static ColumnType wider(ColumnType a, ColumnType b) {
    if (widensTo(a, b)) {
      return b;
    }
    return widensTo(b, a) ? a : null;
  }

  /**
   * Returns the statistics bound {@code bound} of a column stored as {@code from} as a bound of
   * the wider type {@code to}: the same value in the Java class {@code to}'s statistics use
   * ({@link ColumnType.StatsCodec}). Null stays null.
   */
  public static Object widenBound(Object bound, ColumnType from, ColumnType to) {
    if (bound == null || from.equals(to)) {
      return bound;
    }
    if (!widensTo(from, to)) {
      throw new IllegalArgumentException(from + " does not widen to " + to);
    }
    return switch (to.kind().statsCodec()) {
      case LONG -> ((Number) bound).longValue();
      case INT -> ((Number) bound).intValue();
      case DOUBLE -> ((Number) bound).doubleValue();
      // Widening keeps the scale, so the value and its spelling stay as they are.
      case DECIMAL -> bound instanceof BigDecimal d ? d : new BigDecimal(bound.toString());
      case STRING, BOOLEAN, UUID, NONE -> bound;
    };
  }

  /** Returns the bounds of {@code stats}, stored as {@code from}, as bounds of {@code to}. */
  public static ColumnStats widenStats(ColumnStats stats, ColumnType from, ColumnType to) {
    if (from.equals(to)) {
      return stats;
    }
    return new ColumnStats(stats.nullCount(), widenBound(stats.min(), from, to),
        widenBound(stats.max(), from, to));
  }
}
