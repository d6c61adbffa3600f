package dev.cairn.spark;

import org.apache.arrow.vector.TimeMicroVector;
import org.apache.spark.sql.types.DataTypes;

/**
 * Shows a TIME column (Arrow microseconds of the day) to Spark as a BIGINT of those
 * microseconds: Spark 4.2 refuses its own TIME type unless a session enables it, and its Arrow
 * column vector has no reader for microsecond time vectors.
 */
final class TimeOfDayColumnVector extends ArrowViewColumnVector {
  private final TimeMicroVector times;

  /** Wraps {@code times} as a Spark BIGINT column of microseconds since midnight. */
  TimeOfDayColumnVector(TimeMicroVector times) {
    super(DataTypes.LongType, times, "a TIME column is read with getLong");
    this.times = times;
  }

  @Override
  public long getLong(int rowId) {
    return times.get(rowId);
  }
}
