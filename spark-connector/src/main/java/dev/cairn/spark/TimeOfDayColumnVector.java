package dev.cairn.spark;

import org.apache.arrow.vector.TimeMicroVector;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarMap;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Shows a TIME column (Arrow microseconds of the day) to Spark as a BIGINT of those
 * microseconds: Spark 4.2 refuses its own TIME type unless a session enables it, and its Arrow
 * column vector has no reader for microsecond time vectors. No row is copied. The vector stays
 * owned by the decoded batch, so closing this does nothing.
 */
final class TimeOfDayColumnVector extends ColumnVector {
  private final TimeMicroVector times;

  /** Wraps {@code times} as a Spark BIGINT column of microseconds since midnight. */
  TimeOfDayColumnVector(TimeMicroVector times) {
    super(DataTypes.LongType);
    this.times = times;
  }

  @Override
  public long getLong(int rowId) {
    return times.get(rowId);
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
