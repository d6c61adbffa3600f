package dev.cairn.client.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class IsoDatesTest {
  @Test
  void everyDayOfYearsZeroToNineThousandNineHundredNinetyNineIsJavaTimesEpochDay() {
    LocalDate last = LocalDate.of(9999, 12, 31);
    for (LocalDate date = LocalDate.of(0, 1, 1); !date.isAfter(last); date = date.plusDays(1)) {
      assertEquals(date.toEpochDay(),
          IsoDates.epochDay(date.getYear(), date.getMonthValue(), date.getDayOfMonth()),
          date::toString);
    }
  }

  @Test
  void aMonthOrDayThatDoesNotExistIsNotADateAsJavaTimeAgrees() {
    int[][] wrong = {{2023, 2, 29}, {1900, 2, 29}, {2024, 2, 30}, {2024, 4, 31}, {2024, 0, 1},
        {2024, 13, 1}, {2024, 1, 0}, {2024, 1, 32}};
    for (int[] date : wrong) {
      assertEquals(IsoDates.NOT_A_DATE, IsoDates.epochDay(date[0], date[1], date[2]),
          () -> date[0] + "-" + date[1] + "-" + date[2]);
      assertThrows(DateTimeException.class, () -> LocalDate.of(date[0], date[1], date[2]));
    }
    assertEquals(LocalDate.of(2000, 2, 29).toEpochDay(), IsoDates.epochDay(2000, 2, 29));
  }

  @Test
  void aYearBeyondFourDigitsIsNotADate() {
    assertEquals(IsoDates.NOT_A_DATE, IsoDates.epochDay(-1, 1, 1));
    assertEquals(IsoDates.NOT_A_DATE, IsoDates.epochDay(10_000, 1, 1));
  }
}
