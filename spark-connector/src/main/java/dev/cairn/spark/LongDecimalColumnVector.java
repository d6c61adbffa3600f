package dev.cairn.spark;

import java.nio.ByteOrder;
import org.apache.arrow.vector.DecimalVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarMap;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Shows a DECIMAL column of at most 18 digits to Spark as its unscaled longs. Spark's own
 * {@code ArrowColumnVector} builds a {@code BigDecimal} per value from Arrow's 16-byte decimal
 * and Spark then computes on it as one; Spark's Parquet reader hands the same column over as
 * a long, which Spark sums as a long. An 18-digit value fits a long, and Arrow stores it
 * little-endian, two's complement, so its low 8 bytes are that long. No row is copied; the
 * vector stays owned by the decoded batch, so closing this does nothing.
 */
final class LongDecimalColumnVector extends ColumnVector {
  /** Whether an Arrow decimal's low 8 bytes read as a long here (Arrow is little-endian). */
  static final boolean USABLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  private final DecimalVector decimals;
  private final int scale;

  /** Wraps {@code decimals} (precision at most 18). */
  LongDecimalColumnVector(DecimalVector decimals) {
    super(DataTypes.createDecimalType(decimals.getPrecision(), decimals.getScale()));
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

  @Override
  public boolean isNullAt(int rowId) {
    return decimals.isNull(rowId);
  }

  @Override
  public boolean hasNull() {
    return decimals.getNullCount() > 0;
  }

  @Override
  public int numNulls() {
    return decimals.getNullCount();
  }

  @Override
  public void close() {
  }

  @Override
  public boolean getBoolean(int rowId) {
    throw unsupported();
  }

  @Override
  public byte getByte(int rowId) {
    throw unsupported();
  }

  @Override
  public short getShort(int rowId) {
    throw unsupported();
  }

  @Override
  public int getInt(int rowId) {
    throw unsupported();
  }

  @Override
  public float getFloat(int rowId) {
    throw unsupported();
  }

  @Override
  public double getDouble(int rowId) {
    throw unsupported();
  }

  @Override
  public ColumnarArray getArray(int rowId) {
    throw unsupported();
  }

  @Override
  public ColumnarMap getMap(int ordinal) {
    throw unsupported();
  }

  @Override
  public UTF8String getUTF8String(int rowId) {
    throw unsupported();
  }

  @Override
  public byte[] getBinary(int rowId) {
    throw unsupported();
  }

  @Override
  public ColumnVector getChild(int ordinal) {
    throw unsupported();
  }

  private static UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("a DECIMAL column is read with getDecimal");
  }
}
