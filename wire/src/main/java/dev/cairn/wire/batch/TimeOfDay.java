package dev.cairn.wire.batch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;

/**
 * The range of a TIME value: microseconds since midnight, 0 to 24:00:00 inclusive (DuckDB's
 * range; 24:00:00 is the end of a day). Arrow does not check it, so the encoder and the decoder
 * do, and no reader ever sees a time of day outside it.
 */
public final class TimeOfDay {
  /** Microseconds in a day: the largest TIME value, 24:00:00. */
  public static final long MICROS_PER_DAY = 86_400_000_000L;

  private TimeOfDay() {
  }

  /** Returns {@code micros} if it is a time of day, else throws BAD_FORMAT naming the column. */
  public static long check(long micros, String column) {
    if (micros < 0 || micros > MICROS_PER_DAY) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "TIME column '" + column + "' holds "
          + micros + " microseconds, outside 0 to " + MICROS_PER_DAY + " (24:00:00)");
    }
    return micros;
  }
}
