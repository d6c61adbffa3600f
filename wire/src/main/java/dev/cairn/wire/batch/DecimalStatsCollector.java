package dev.cairn.wire.batch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ErrorCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;

/**
 * DECIMAL bounds, compared as the 128-bit two's complement unscaled integers Arrow stores
 * (little-endian: low 64 bits first). Only the two bounds are turned into BigDecimal, at the
 * column's scale. Since every value lies between them, checking the bounds against
 * ±(10^precision - 1) checks every value's precision.
 */
final class DecimalStatsCollector extends ColumnStatsCollector {
  private static final int DECIMAL_BYTES = 16;

  private boolean seen;
  private long minHigh = Long.MAX_VALUE;
  private long minLow = -1L;
  private long maxHigh = Long.MIN_VALUE;
  private long maxLow = 0L;

  DecimalStatsCollector(Column column) {
    super(column);
  }

  @Override
  void accept(FieldVector vector, int row) {
    ArrowBuf data = vector.getDataBuffer();
    long offset = (long) row * DECIMAL_BYTES;
    fold(data.getLong(offset + Long.BYTES), data.getLong(offset));
  }

  @Override
  void acceptAll(FieldVector vector, int rows, ArrowBuf validity) {
    byte[] data = dataCopy(vector, rows, DECIMAL_BYTES);
    for (int row = 0; row < rows; row++) {
      if (validity == null || BitVectorHelper.get(validity, row) != 0) {
        int offset = row * DECIMAL_BYTES;
        fold((long) ByteArrayViews.LONG_LE.get(data, offset + Long.BYTES),
            (long) ByteArrayViews.LONG_LE.get(data, offset));
      }
    }
  }

  private void fold(long high, long low) {
    seen = true;
    if (compare(high, low, minHigh, minLow) < 0) {
      minHigh = high;
      minLow = low;
    }
    if (compare(high, low, maxHigh, maxLow) > 0) {
      maxHigh = high;
      maxLow = low;
    }
  }

  private static int compare(long highA, long lowA, long highB, long lowB) {
    int byHigh = Long.compare(highA, highB);
    return byHigh != 0 ? byHigh : Long.compareUnsigned(lowA, lowB);
  }

  @Override
  Object minimum() {
    return seen ? toDecimal(minHigh, minLow) : null;
  }

  @Override
  Object maximum() {
    return seen ? toDecimal(maxHigh, maxLow) : null;
  }

  private BigDecimal toDecimal(long high, long low) {
    byte[] bigEndian = new byte[DECIMAL_BYTES];
    for (int i = 0; i < Long.BYTES; i++) {
      bigEndian[i] = (byte) (high >>> (56 - 8 * i));
      bigEndian[Long.BYTES + i] = (byte) (low >>> (56 - 8 * i));
    }
    BigInteger unscaled = new BigInteger(bigEndian);
    int precision = column().type().precision();
    if (unscaled.abs().compareTo(BigInteger.TEN.pow(precision)) >= 0) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "column '" + column().name()
          + "' holds a value with more than " + precision + " digits: " + unscaled);
    }
    return new BigDecimal(unscaled, column().type().scale());
  }
}
