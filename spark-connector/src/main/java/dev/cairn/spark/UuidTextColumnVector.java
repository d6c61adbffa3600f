package dev.cairn.spark;

import dev.cairn.wire.UuidText;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarMap;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Shows a UUID column (Arrow FixedSizeBinary(16)) to Spark as a STRING of its canonical
 * lower-case text: Spark has no UUID type, and StringType is what its own readers use for
 * one. The text is made per value read; the vector stays owned by the decoded batch, so closing
 * this does nothing.
 */
final class UuidTextColumnVector extends ColumnVector {
  private final FixedSizeBinaryVector uuids;

  /** Wraps {@code uuids} as a Spark STRING column of their text. */
  UuidTextColumnVector(FixedSizeBinaryVector uuids) {
    super(DataTypes.StringType);
    this.uuids = uuids;
  }

  @Override
  public UTF8String getUTF8String(int rowId) {
    return uuids.isNull(rowId) ? null : UTF8String.fromString(UuidText.format(uuids.get(rowId)));
  }

  @Override
  public boolean isNullAt(int rowId) {
    return uuids.isNull(rowId);
  }

  @Override
  public boolean hasNull() {
    return uuids.getNullCount() > 0;
  }

  @Override
  public int numNulls() {
    return uuids.getNullCount();
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
  public long getLong(int rowId) {
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
  public byte[] getBinary(int rowId) {
    throw unsupported();
  }

  @Override
  public ColumnVector getChild(int ordinal) {
    throw unsupported();
  }

  private static UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("a UUID column is read with getUTF8String");
  }
}
