package dev.cairn.wire.batch;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.UuidText;
import java.util.Arrays;
import org.apache.arrow.vector.FieldVector;

/**
 * UUID bounds: the 16 bytes compared unsigned, which is the order of the canonical text and
 * DuckDB's order of UUIDs (not {@link java.util.UUID#compareTo}, which compares signed longs);
 * held as that text.
 */
final class UuidStatsCollector extends ColumnStatsCollector {
  private final byte[] value = new byte[ColumnType.UUID_BYTES];
  private byte[] min;
  private byte[] max;

  UuidStatsCollector(Column column) {
    super(column);
  }

  @Override
  void accept(FieldVector vector, int row) {
    vector.getDataBuffer().getBytes((long) row * ColumnType.UUID_BYTES, value);
    if (min == null || Arrays.compareUnsigned(value, min) < 0) {
      min = value.clone();
    }
    if (max == null || Arrays.compareUnsigned(value, max) > 0) {
      max = value.clone();
    }
  }

  @Override
  Object minimum() {
    return min == null ? null : UuidText.format(min);
  }

  @Override
  Object maximum() {
    return max == null ? null : UuidText.format(max);
  }
}
