package dev.cairn.spark;

import org.apache.arrow.vector.TimeMicroVector;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.TimeType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarMap;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Shows a TIME column (Arrow microseconds of the day) to Spark, whose TIME values are
 * nanoseconds of the day and whose own Arrow column vector reads only nanosecond vectors. No
 * row is copied: each value is scaled as Spark reads it. The vector stays owned by the decoded
 * batch, so closing this does nothing.
 */
final class TimeMicrosColumnVector extends ColumnVector {
  private static final long NANOS_PER_MICRO = 1_000L;

  private final TimeMicroVector times;

  /** Wraps {@code times} as a Spark TIME(6) column. */
  TimeMicrosColumnVector(TimeMicroVector times) {
    super(TimeType.apply(6));
    this.times = times;
  }

  @Override
  public long getLong(int rowId) {
    return times.get(rowId) * NANOS_PER_MICRO;
  }

  @Override
  public boolean isNullAt(int rowId) {
    return times.isNull(rowId);
  }

  @Override
  public boolean hasNull() {
    return times.getNullCount() > 0;
  }

  @Override
  public int numNulls() {
    return times.getNullCount();
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
  public Decimal getDecimal(int rowId, int precision, int scale) {
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
    return new UnsupportedOperationException("a TIME column is read with getLong");
  }
}
