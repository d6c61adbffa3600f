package dev.cairn.wire.batch;

import dev.cairn.wire.Column;
import org.apache.arrow.vector.FieldVector;

/**
 * DOUBLE bounds. NaN is unordered, so once a NaN occurs the max is unknown (a NaN compares
 * above everything in SQL engines that order it), while the min still covers the non-NaN
 * values. -0.0 and 0.0 compare equal and bounds are normalised to 0.0, so the bound does not
 * depend on which of the two came first.
 */
final class DoubleStatsCollector extends ColumnStatsCollector {
  private boolean seenNumber;
  private boolean seenNaN;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  DoubleStatsCollector(Column column) {
    super(column);
  }

  @Override
  void accept(FieldVector vector, int row) {
    double value = vector.getDataBuffer().getDouble((long) row * Double.BYTES);
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
