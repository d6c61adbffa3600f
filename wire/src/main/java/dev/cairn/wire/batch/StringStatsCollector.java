package dev.cairn.wire.batch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * VARCHAR bounds, compared as unsigned UTF-8 bytes (which is code point order). The string
 * data of each vector is copied once into a Java array (kept per thread and reused, as the
 * bounds are copied out of it) so that comparisons and the UTF-8 check run on plain arrays. A
 * bound longer than {@link ColumnStats#STRING_BOUND_BYTES_MAX} is left out (null), as
 * ColumnStats requires. Values a parser already checked ({@link ParsedRoot}) are not checked
 * as UTF-8 again.
 */
final class StringStatsCollector extends ColumnStatsCollector {
  /** Per-thread copy of a vector's value bytes; encoding runs on a few threads. */
  private static final ThreadLocal<ReusedArray> SCRATCH =
      ThreadLocal.withInitial(ReusedArray::new);

  private byte[] min;
  private byte[] max;
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
    currentData = SCRATCH.get().atLeast(end);
    strings.getDataBuffer().getBytes(0, currentData, 0, end);
    currentChecked = utf8Checked;
  }

  @Override
  void accept(FieldVector vector, int row) {
    VarCharVector strings = (VarCharVector) vector;
    int start = strings.getStartOffset(row);
    int end = strings.getEndOffset(row);
    if (!currentChecked && !Utf8.isValid(currentData, start, end)) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "column '" + column().name()
          + "' row " + row + " is not valid UTF-8");
    }
    if (min == null || Arrays.compareUnsigned(currentData, start, end, min, 0, min.length) < 0) {
      min = Arrays.copyOfRange(currentData, start, end);
    }
    if (max == null || Arrays.compareUnsigned(currentData, start, end, max, 0, max.length) > 0) {
      max = Arrays.copyOfRange(currentData, start, end);
    }
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
