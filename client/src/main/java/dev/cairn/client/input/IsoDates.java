package dev.cairn.client.input;

/**
 * Days since 1970-01-01 of a proleptic Gregorian date by arithmetic alone (the days-from-civil
 * algorithm: count from 0000-03-01 so that the leap day ends a year). The CSV byte parser reads
 * three dates a lineitem row, and {@code LocalDate.of(...).toEpochDay()} validates through
 * java.time's field objects and builds a date for each (docs/benchmarks.md has what the
 * parser gained).
 */
final class IsoDates {
  /** What {@link #epochDay} returns for a month or day that does not exist. */
  static final int NOT_A_DATE = Integer.MIN_VALUE;

  private static final int DAYS_PER_400_YEARS = 146_097;
  /** Days from 0000-03-01 to 1970-01-01. */
  private static final int DAYS_0000_03_01_TO_EPOCH = 719_468;

  private IsoDates() {
  }

  /**
   * Returns the epoch day of {@code year-month-day} for a year of 0 to 9999, or {@link
   * #NOT_A_DATE} when the month is not 1 to 12 or the day is not in that month.
   */
  static int epochDay(int year, int month, int day) {
    if (year < 0 || year > 9999 || month < 1 || month > 12 || day < 1
        || day > lengthOfMonth(year, month)) {
      return NOT_A_DATE;
    }
    int marchYear = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(marchYear, 400);
    int yearOfEra = marchYear - era * 400;
    int marchMonth = month > 2 ? month - 3 : month + 9;
    int dayOfYear = (153 * marchMonth + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * DAYS_PER_400_YEARS + dayOfEra - DAYS_0000_03_01_TO_EPOCH;
  }

  private static int lengthOfMonth(int year, int month) {
    if (month == 2) {
      boolean leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
      return leap ? 29 : 28;
    }
    return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
  }
}
