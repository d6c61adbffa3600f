package dev.cairn.calcite.runtime;

import dev.cairn.calcite.sql.PruningPredicate;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.manifest.BatchRef;
import java.math.BigDecimal;
import java.util.List;

/**
 * Decides from a batch's signed statistics whether it may hold a row a query needs.
 *
 * <p>Sound, never complete: a batch is skipped only when a present bound proves that no row
 * satisfies one of the conjuncts. A missing bound (null) proves nothing. A value of another class
 * than the bound (which the translator should never produce) proves nothing. A batch whose
 * values are all NULL is skipped, since no predicate holds on NULL. VARCHAR compares by code
 * point, which is the UTF-8 byte order the statistics use; DOUBLE NaN literals never prune.
 */
public final class BatchPruner {
  private BatchPruner() {}

  /**
   * Returns true if some row of {@code batch} may satisfy every predicate; for a batch whose
   * statistics follow the table's columns (one that stores exactly the table's).
   */
  public static boolean mayMatch(BatchRef batch, List<PruningPredicate> conjuncts) {
    return mayMatch(batch.rowCount(), batch.stats(), conjuncts);
  }

  /**
   * Returns true if some row of a batch of {@code rows} rows with {@code stats} in the table's
   * terms ({@link dev.cairn.wire.manifest.Manifest#tableStats}) may satisfy every predicate. A
   * column the batch lacks is all NULL there (no bounds, every row null), so no comparison
   * holds on it and the batch is skipped, which is exact; IS NULL never prunes.
   */
  public static boolean mayMatch(long rows, List<ColumnStats> stats,
      List<PruningPredicate> conjuncts) {
    if (conjuncts.isEmpty()) {
      return true;
    }
    if (rows == 0) {
      return false;
    }
    for (PruningPredicate p : conjuncts) {
      if (p.column() < 0 || p.column() >= stats.size()) {
        continue;
      }
      if (!mayMatch(rows, stats.get(p.column()), p)) {
        return false;
      }
    }
    return true;
  }

  static boolean mayMatch(long rows, ColumnStats stats, PruningPredicate p) {
    if (stats.nullCount() >= rows) {
      return false;
    }
    Object min = stats.min();
    Object max = stats.max();
    List<Object> v = p.values();
    switch (p.op()) {
      case EQ: return inRange(min, max, v.get(0));
      case LT: return below(min, v.get(0), false);
      case LE: return below(min, v.get(0), true);
      case GT: return above(max, v.get(0), false);
      case GE: return above(max, v.get(0), true);
      case BETWEEN: return above(max, v.get(0), true) && below(min, v.get(1), true);
      case IN:
        for (Object value : v) {
          if (inRange(min, max, value)) {
            return true;
          }
        }
        return false;
      default: return true;
    }
  }

  private static boolean inRange(Object min, Object max, Object value) {
    return below(min, value, true) && above(max, value, true);
  }

  /** True unless {@code min} proves every value is above {@code value} (or at it, if strict). */
  private static boolean below(Object min, Object value, boolean inclusive) {
    Integer c = compare(min, value);
    return c == null || (inclusive ? c <= 0 : c < 0);
  }

  /** True unless {@code max} proves every value is below {@code value} (or at it, if strict). */
  private static boolean above(Object max, Object value, boolean inclusive) {
    Integer c = compare(max, value);
    return c == null || (inclusive ? c >= 0 : c > 0);
  }

  /** Compares a bound with a literal; null when that proves nothing. */
  static Integer compare(Object bound, Object value) {
    if (bound == null || value == null) {
      return null;
    }
    if (bound instanceof BigDecimal && value instanceof BigDecimal) {
      return ((BigDecimal) bound).compareTo((BigDecimal) value);
    }
    if (bound instanceof Double && value instanceof Double) {
      double b = (Double) bound;
      double x = (Double) value;
      return Double.isNaN(b) || Double.isNaN(x) ? null : Double.compare(b == 0.0 ? 0.0 : b,
          x == 0.0 ? 0.0 : x);
    }
    if (bound instanceof String && value instanceof String) {
      return ColumnStats.compareCodePoints((String) bound, (String) value);
    }
    if (bound.getClass() == value.getClass() && bound instanceof Comparable) {
      @SuppressWarnings("unchecked")
      Comparable<Object> b = (Comparable<Object>) bound;
      return b.compareTo(value);
    }
    return null;
  }
}
