package dev.cairn.tpchdata.tpcds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TpcdsGeneratorTest {
  @TempDir
  Path dir;

  /** Counts NULLs and empty strings in column {@code column} of the generator's rows. */
  private static long[] nullsAndEmpties(TpcdsTable table, int column) {
    long[] counts = new long[2];
    Iterator<List<String>> rows = TpcdsGenerator.rows(table, TpcdsGenerator.SCALE_TINY);
    while (rows.hasNext()) {
      String value = rows.next().get(column);
      if (value == null) {
        counts[0]++;
      } else if (value.isEmpty()) {
        counts[1]++;
      }
    }
    return counts;
  }

  @Test
  void nullAndEmptyStringStayApartThroughCsvIntoDuckDb() throws Exception {
    int mealTime = TpcdsTable.TIME_DIM.columnNames().indexOf("t_meal_time");
    int closedDate = TpcdsTable.STORE.columnNames().indexOf("s_closed_date_sk");
    long[] meal = nullsAndEmpties(TpcdsTable.TIME_DIM, mealTime);
    long[] closed = nullsAndEmpties(TpcdsTable.STORE, closedDate);
    assertTrue(meal[1] > 0, "time_dim has empty meal times");
    assertTrue(closed[0] > 0, "a store is not closed");
    Map<TpcdsTable, Path> files = Map.of(
        TpcdsTable.TIME_DIM, dir.resolve("time_dim.csv"), TpcdsTable.STORE,
        dir.resolve("store.csv"));
    for (var file : files.entrySet()) {
      TpcdsGenerator.writeCsv(file.getKey(), file.getValue(), TpcdsGenerator.SCALE_TINY);
    }
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = duckdb.createStatement()) {
      TpcdsGenerator.loadInto(duckdb, files);
      assertEquals(meal[0], count(s, "time_dim WHERE t_meal_time IS NULL"));
      assertEquals(meal[1], count(s, "time_dim WHERE t_meal_time = ''"));
      assertEquals(closed[0], count(s, "store WHERE s_closed_date_sk IS NULL"));
      assertEquals(86400, count(s, "time_dim"));
      try (ResultSet rs = s.executeQuery("SELECT typeof(s_gmt_offset), typeof(s_store_sk),"
          + " typeof(s_floor_space), min(s_gmt_offset) FROM store GROUP BY ALL")) {
        rs.next();
        assertEquals("DECIMAL(5,2)", rs.getString(1));
        assertEquals("BIGINT", rs.getString(2));
        assertEquals("INTEGER", rs.getString(3));
        assertEquals(new BigDecimal("-5.00"), rs.getBigDecimal(4));
      }
    }
  }

  private static long count(Statement s, String from) throws Exception {
    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + from)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void rejectsScaleFactorsOutOfRange() {
    for (double bad : new double[] {0, -1, Double.NaN, 1e6}) {
      CairnException e = assertThrows(CairnException.class,
          () -> TpcdsGenerator.rows(TpcdsTable.REASON, bad));
      assertEquals(ErrorCode.BAD_FORMAT, e.code());
    }
  }
}
