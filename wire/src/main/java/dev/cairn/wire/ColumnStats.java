package dev.cairn.wire;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Statistics of one column in one batch, signed inside the manifest so that readers may prune
 * batches with them without trusting any donor.
 *
 * <p>{@code min} and {@code max} are null when unknown (all values null, a VARCHAR bound longer
 * than {@link #STRING_BOUND_BYTES_MAX}, a DOUBLE max when NaN occurs). A reader may skip a batch
 * only on a bound that is present. Values use one Java class per column kind: BIGINT Long,
 * INTEGER Integer, DOUBLE Double, DECIMAL BigDecimal (at the column's scale), DATE Integer
 * (days since 1970-01-01), TIMESTAMP Long (microseconds since 1970-01-01T00:00, no zone),
 * TIMESTAMPTZ Long (microseconds since 1970-01-01T00:00Z), TIME Long (microseconds since
 * midnight), SMALLINT and TINYINT Integer, REAL Double (the float's exact value), VARCHAR
 * String (compared by UTF-8 bytes, unsigned, which equals code point order), BOOLEAN Boolean
 * (false &lt; true), UUID String (canonical lower-case text, so String order is the bytes'
 * unsigned order, which is DuckDB's order of UUIDs). VARBINARY has no bounds: always null.
 */
public final class ColumnStats {
  /** A VARCHAR bound longer than this in UTF-8 is left out rather than stored. */
  public static final int STRING_BOUND_BYTES_MAX = 64;

  private final long nullCount;
  private final Object min;
  private final Object max;

  /** Creates statistics; min and max may be null (unknown). */
  public ColumnStats(long nullCount, Object min, Object max) {
    if (nullCount < 0) {
      throw new IllegalArgumentException("nullCount < 0: " + nullCount);
    }
    this.nullCount = nullCount;
    this.min = min;
    this.max = max;
  }

  /** Returns how many values of the column in the batch are null. */
  public long nullCount() {
    return nullCount;
  }

  /** Returns the smallest non-null value, or null if unknown. */
  public Object min() {
    return min;
  }

  /** Returns the largest non-null value, or null if unknown. */
  public Object max() {
    return max;
  }

  /**
   * Orders two VARCHAR values the way statistics are kept: by their UTF-8 bytes, unsigned, which
   * is code point order. {@link String#compareTo} orders UTF-16 units instead and puts U+FFFF
   * after a supplementary character, so a reader pruning with it could skip a matching batch.
   */
  public static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** Returns true if {@code value} is an instance of the class this kind's bounds use. */
  public static boolean boundFits(ColumnType.Kind kind, Object value) {
    return kind.statsCodec().boundClass().isInstance(value);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ColumnStats)) {
      return false;
    }
    ColumnStats s = (ColumnStats) o;
    return nullCount == s.nullCount && Objects.equals(min, s.min) && Objects.equals(max, s.max);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nullCount, min, max);
  }

  @Override
  public String toString() {
    return "ColumnStats{nulls=" + nullCount + ", min=" + min + ", max=" + max + "}";
  }
}
