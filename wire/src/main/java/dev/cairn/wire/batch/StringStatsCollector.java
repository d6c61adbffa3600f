package dev.cairn.wire.batch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * VARCHAR bounds, compared as unsigned UTF-8 bytes (which is code point order). The string
 * data and offsets of each vector are copied once into Java arrays (kept per thread and reused,
 * as the bounds are copied out of them) so that comparisons and the UTF-8 check run on plain arrays. A
 * bound longer than {@link ColumnStats#STRING_BOUND_BYTES_MAX} is left out (null), as
 * ColumnStats requires. Values a parser already checked ({@link ParsedRoot}) are not checked
 * as UTF-8 again.
 */
final class StringStatsCollector extends ColumnStatsCollector {
  /** Per-thread copy of a vector's offsets, read beside its bytes ({@link #dataCopy}). */
  private static final ThreadLocal<ReusedArray> OFFSETS =
      ThreadLocal.withInitial(ReusedArray::new);


  private byte[] min;
  private byte[] max;
  /** The first eight bytes of min and max (zero-padded) as unsigned longs; see prefix. */
  private long minPrefix;
  private long maxPrefix;
  private byte[] currentData;
  private boolean currentChecked;

  StringStatsCollector(Column column) {
    super(column);
  }

  @Override
  void startVector(FieldVector vector, boolean utf8Checked) {
    VarCharVector strings = (VarCharVector) vector;
    int rows = strings.getValueCount();
    int end = rows == 0 ? 0 : strings.getEndOffset(rows - 1);
    currentData = dataCopy(strings, end, Byte.BYTES);
    currentChecked = utf8Checked;
  }

  @Override
  void accept(FieldVector vector, int row) {
    VarCharVector strings = (VarCharVector) vector;
    fold(row, strings.getStartOffset(row), strings.getEndOffset(row));
  }

  @Override
  void acceptAll(FieldVector vector, int rows, ArrowBuf validity) {
    if (rows == 0) {
      return; // an empty vector may have no offsets buffer at all
    }
    byte[] offsets = OFFSETS.get().copyOf(vector.getOffsetBuffer(), 0,
        Math.multiplyExact(rows + 1, BaseVariableWidthVector.OFFSET_WIDTH));
    for (int row = 0; row < rows; row++) {
      if (validity == null || BitVectorHelper.get(validity, row) != 0) {
        int at = row * BaseVariableWidthVector.OFFSET_WIDTH;
        fold(row, (int) ByteArrayViews.INT_LE.get(offsets, at),
            (int) ByteArrayViews.INT_LE.get(offsets, at + BaseVariableWidthVector.OFFSET_WIDTH));
      }
    }
  }

  /** Folds the value at {@code row}, bytes [start, end) of the current data. */
  private void fold(int row, int start, int end) {
    if (!currentChecked && !Utf8.isValid(currentData, start, end)) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "column '" + column().name()
          + "' row " + row + " is not valid UTF-8");
    }
    long prefix = prefix(currentData, start, end);
    if (min == null) {
      min = Arrays.copyOfRange(currentData, start, end);
      max = min; // bounds are never written to, so the two may share an array
      minPrefix = prefix;
      maxPrefix = prefix;
      return;
    }
    // As min <= max, a value not above min is not above max either: one comparison for
    // the values equal to min, most of those in a column of few values.
    int toMin = compareToBound(prefix, start, end, minPrefix, min);
    if (toMin < 0) {
      min = Arrays.copyOfRange(currentData, start, end);
      minPrefix = prefix;
    } else if (toMin > 0 && compareToBound(prefix, start, end, maxPrefix, max) > 0) {
      max = Arrays.copyOfRange(currentData, start, end);
      maxPrefix = prefix;
    }
  }

  /**
   * The value's first eight bytes, big-endian and zero-padded: when two values' prefixes
   * differ, they order the values as the whole bytes do (a shorter value padded with zeros is
   * a prefix of the other, or differs earlier), so most values are placed by one comparison
   * of longs instead of two calls to compare arrays. When the prefixes tie and neither value
   * is longer than eight bytes, the shorter value is the first (a value equal to a bound, as
   * most are in a column of few values, costs no call either).
   */
  private static long prefix(byte[] data, int start, int end) {
    if (end - start >= Long.BYTES) {
      return (long) ByteArrayViews.LONG_BE.get(data, start);
    }
    long prefix = 0;
    for (int i = start; i < start + Long.BYTES; i++) {
      prefix = (prefix << 8) | (i < end ? data[i] & 0xFF : 0);
    }
    return prefix;
  }

  /**
   * Orders the current value (its prefix, bytes [start, end)) against a bound, as unsigned
   * bytes: negative if it comes first, zero if equal, positive if after.
   */
  private int compareToBound(long prefix, int start, int end, long boundPrefix, byte[] bound) {
    int order = Long.compareUnsigned(prefix, boundPrefix);
    if (order != 0) {
      return order;
    }
    if (end - start <= Long.BYTES && bound.length <= Long.BYTES) {
      return Integer.compare(end - start, bound.length); // same bytes, then zeros: shorter first
    }
    return Arrays.compareUnsigned(currentData, start, end, bound, 0, bound.length);
  }

  @Override
  Object minimum() {
    return bound(min);
  }

  @Override
  Object maximum() {
    return bound(max);
  }

  private static String bound(byte[] value) {
    if (value == null || value.length > ColumnStats.STRING_BOUND_BYTES_MAX) {
      return null;
    }
    return new String(value, StandardCharsets.UTF_8);
  }
}
