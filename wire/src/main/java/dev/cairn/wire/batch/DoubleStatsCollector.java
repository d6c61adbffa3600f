package dev.cairn.wire.batch;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;

/**
 * DOUBLE and REAL bounds (a REAL value widens to its exact double). NaN is unordered, so once a NaN occurs the max is unknown (a NaN compares
 * above everything in SQL engines that order it), while the min still covers the non-NaN
 * values. -0.0 and 0.0 compare equal and bounds are normalised to 0.0, so the bound does not
 * depend on which of the two came first.
 */
final class DoubleStatsCollector extends ColumnStatsCollector {
  private boolean seenNumber;
  private boolean seenNaN;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  private final boolean single;

  DoubleStatsCollector(Column column) {
    super(column);
    this.single = column.type().kind() == ColumnType.Kind.REAL;
  }

  @Override
  void accept(FieldVector vector, int row) {
    fold(single ? vector.getDataBuffer().getFloat((long) row * Float.BYTES)
        : vector.getDataBuffer().getDouble((long) row * Double.BYTES));
  }

  @Override
  void acceptAll(FieldVector vector, int rows, ArrowBuf validity) {
    if (single) {
      super.acceptAll(vector, rows, validity);
      return;
    }
    byte[] data = dataCopy(vector, rows, Double.BYTES);
    for (int row = 0; row < rows; row++) {
      if (validity == null || BitVectorHelper.get(validity, row) != 0) {
        fold(Double.longBitsToDouble((long) ByteArrayViews.LONG_LE.get(data, row * Double.BYTES)));
      }
    }
  }

  private void fold(double value) {
    if (Double.isNaN(value)) {
      seenNaN = true;
      return;
    }
    seenNumber = true;
    if (value < min) {
      min = value;
    }
    if (value > max) {
      max = value;
    }
  }

  @Override
  Object minimum() {
    // Adding 0.0 turns -0.0 into 0.0 and leaves every other value unchanged.
    return seenNumber ? min + 0.0 : null;
  }

  @Override
  Object maximum() {
    return seenNumber && !seenNaN ? max + 0.0 : null;
  }
}
