package dev.cairn.spark;

import java.nio.ByteOrder;
import org.apache.arrow.vector.DecimalVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;

/**
 * Shows a DECIMAL column of at most 18 digits to Spark as its unscaled longs. Spark's own
 * {@code ArrowColumnVector} builds a {@code BigDecimal} per value from Arrow's 16-byte decimal
 * and Spark then computes on it as one; Spark's Parquet reader hands the same column over as
 * a long, which Spark sums as a long. An 18-digit value fits a long, and Arrow stores it
 * little-endian, two's complement, so its low 8 bytes are that long.
 */
final class LongDecimalColumnVector extends ArrowViewColumnVector {
  /** Whether an Arrow decimal's low 8 bytes read as a long here (Arrow is little-endian). */
  static final boolean USABLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  private final DecimalVector decimals;
  private final int scale;

  /** Wraps {@code decimals} (precision at most 18). */
  LongDecimalColumnVector(DecimalVector decimals) {
    super(DataTypes.createDecimalType(decimals.getPrecision(), decimals.getScale()), decimals,
        "a DECIMAL column is read with getDecimal");
    this.decimals = decimals;
    this.scale = decimals.getScale();
  }

  /** Returns whether {@code decimals} can be read as longs (at most 18 digits). */
  static boolean fits(DecimalVector decimals) {
    return USABLE && decimals.getPrecision() <= Decimal.MAX_LONG_DIGITS();
  }

  @Override
  public Decimal getDecimal(int rowId, int precision, int scale) {
    if (decimals.isNull(rowId)) {
      return null;
    }
    long unscaled = getLong(rowId);
    if (scale == this.scale) {
      return Decimal.createUnsafe(unscaled, precision, scale);
    }
    return Decimal.apply(java.math.BigDecimal.valueOf(unscaled, this.scale), precision, scale);
  }

  @Override
  public long getLong(int rowId) {
    return decimals.getDataBuffer().getLong((long) rowId * DecimalVector.TYPE_WIDTH);
  }
}
