package dev.cairn.tpchdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TpchGeneratorTest {
  static final double SCALE = 0.01;

  /** Row counts of DuckDB's {@code CALL dbgen(sf = 0.01)}. */
  static final Map<TpchTable, Long> ROWS_AT_SF_0_01 = new EnumMap<>(Map.of(
      TpchTable.NATION, 25L, TpchTable.REGION, 5L, TpchTable.PART, 2_000L,
      TpchTable.SUPPLIER, 100L, TpchTable.PARTSUPP, 8_000L, TpchTable.CUSTOMER, 1_500L,
      TpchTable.ORDERS, 15_000L, TpchTable.LINEITEM, 60_175L));

  private static Connection duckdb;

  @BeforeAll
  static void load() throws Exception {
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    TpchGenerator.loadInto(duckdb, SCALE);
  }

  @AfterAll
  static void close() throws SQLException {
    duckdb.close();
  }

  @Test
  void generatesTheReferenceRowCounts() {
    Map<TpchTable, Long> counts = new EnumMap<>(TpchTable.class);
    for (TpchTable t : TpchTable.values()) {
      long n = 0;
      for (Iterator<List<Object>> rows = TpchGenerator.rows(t, SCALE); rows.hasNext(); ) {
        rows.next();
        n++;
      }
      counts.put(t, n);
    }
    assertEquals(ROWS_AT_SF_0_01, counts);
  }

  @Test
  void rowValuesHaveTheJavaClassOfTheirColumnType() {
    for (TpchTable t : TpchTable.values()) {
      List<Object> row = TpchGenerator.rows(t, SCALE).next();
      assertEquals(t.schema().size(), row.size(), t.tableName());
      for (int i = 0; i < row.size(); i++) {
        ColumnType type = t.schema().column(i).type();
        assertInstanceOf(javaClass(type), row.get(i), t.schema().column(i).name());
        if (type.kind() == ColumnType.Kind.DECIMAL) {
          assertEquals(2, ((BigDecimal) row.get(i)).scale());
        }
      }
    }
  }

  @Test
  void firstLineitemMatchesDbgen() {
    List<Object> first = TpchGenerator.rows(TpchTable.LINEITEM, SCALE).next();
    assertEquals(List.of(1L, 1552L, 93L, 1, new BigDecimal("17.00"), new BigDecimal("24710.35"),
        new BigDecimal("0.04"), new BigDecimal("0.02"), "N", "O", LocalDate.of(1996, 3, 13),
        LocalDate.of(1996, 2, 12), LocalDate.of(1996, 3, 22), "DELIVER IN PERSON", "TRUCK",
        "egular courts above the"), first);
  }

  @Test
  void loadedTablesHaveTheReferenceRowCounts() throws SQLException {
    for (TpchTable t : TpchTable.values()) {
      assertEquals(ROWS_AT_SF_0_01.get(t), queryLong("select count(*) from " + t.tableName()),
          t.tableName());
    }
  }

  @Test
  void loadedColumnsHaveTheDeclaredTypes() throws SQLException {
    String sql = "select data_type, is_nullable from information_schema.columns"
        + " where table_name = 'lineitem' order by ordinal_position";
    List<String> types = new ArrayList<>();
    try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        types.add(rs.getString(1));
        assertEquals("NO", rs.getString(2));
      }
    }
    assertEquals(List.of("BIGINT", "BIGINT", "BIGINT", "INTEGER", "DECIMAL(15,2)",
        "DECIMAL(15,2)", "DECIMAL(15,2)", "DECIMAL(15,2)", "VARCHAR", "VARCHAR", "DATE", "DATE",
        "DATE", "VARCHAR", "VARCHAR", "VARCHAR"), types);
  }

  @Test
  void loadedSumsEqualTheGeneratedRowsSums() throws SQLException {
    BigDecimal quantity = BigDecimal.ZERO;
    BigDecimal price = BigDecimal.ZERO;
    long shipDays = 0;
    for (Iterator<List<Object>> rows = TpchGenerator.rows(TpchTable.LINEITEM, SCALE);
        rows.hasNext(); ) {
      List<Object> row = rows.next();
      quantity = quantity.add((BigDecimal) row.get(4));
      price = price.add((BigDecimal) row.get(5));
      shipDays += ((LocalDate) row.get(10)).toEpochDay();
    }
    assertEquals(0, quantity.compareTo(queryDecimal("select sum(l_quantity) from lineitem")));
    assertEquals(0, price.compareTo(queryDecimal("select sum(l_extendedprice) from lineitem")));
    assertEquals(shipDays, queryLong("select sum(l_shipdate - date '1970-01-01') from lineitem"));
  }

  @Test
  void loadedTextWithCommasSurvivesTheCsvRoundTrip() throws SQLException {
    List<Object> first = TpchGenerator.rows(TpchTable.CUSTOMER, SCALE).next();
    assertEquals(first.get(2),
        queryString("select c_address from customer where c_custkey = 1"));
    long withComma = 0;
    for (Iterator<List<Object>> rows = TpchGenerator.rows(TpchTable.CUSTOMER, SCALE);
        rows.hasNext(); ) {
      withComma += ((String) rows.next().get(2)).contains(",") ? 1 : 0;
    }
    assertTrue(withComma > 0, "the data should exercise quoting");
    assertEquals(withComma, queryLong("select count(*) from customer where c_address like '%,%'"));
  }

  @Test
  void writesOneCsvFilePerTableWithHeader(@TempDir Path dir) throws Exception {
    Map<TpchTable, Path> files = TpchGenerator.writeCsv(dir.resolve("csv"), SCALE);
    assertEquals(8, files.size());
    for (TpchTable t : TpchTable.values()) {
      List<String> lines = Files.readAllLines(files.get(t), StandardCharsets.UTF_8);
      assertEquals(String.join(",", t.columnNames()), lines.get(0));
      long records = lines.size() - 1;
      assertEquals(ROWS_AT_SF_0_01.get(t), records, t.tableName());
    }
    String nation = Files.readString(files.get(TpchTable.NATION), StandardCharsets.UTF_8);
    assertTrue(nation.startsWith("n_nationkey,n_name,n_regionkey,n_comment\r\n0,ALGERIA,0,"));
    String orders = Files.readAllLines(files.get(TpchTable.ORDERS)).get(1);
    assertTrue(orders.startsWith("1,370,O,172799.49,1996-01-02,5-LOW,Clerk#000000951,0,"),
        orders);
  }

  @Test
  void csvQuotesOnlyFieldsThatNeedIt() throws Exception {
    StringWriter out = new StringWriter();
    new CsvWriter(out).writeRecord(List.of("plain", "a,b", "say \"hi\"", "two\nlines",
        new BigDecimal("1E+3").setScale(2), LocalDate.of(1992, 1, 2), 7L));
    assertEquals("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",1000.00,1992-01-02,7\r\n",
        out.toString());
  }

  @Test
  void csvKeepsNullEmptyAndEdgeBlanksApart() throws Exception {
    StringWriter out = new StringWriter();
    new CsvWriter(out).writeRecord(Arrays.asList(null, "", "Spring ", " x", "a b"));
    assertEquals(",\"\",\"Spring \",\" x\",a b\r\n", out.toString());
  }

  @Test
  void rejectsScaleFactorsOutOfRange() {
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY, 1e6}) {
      CairnException e = assertThrows(CairnException.class,
          () -> TpchGenerator.rows(TpchTable.NATION, bad));
      assertEquals(ErrorCode.BAD_FORMAT, e.code());
    }
  }

  @Test
  void loadingTwiceFailsWithoutDisturbingTheLoadedTables() throws SQLException {
    assertThrows(SQLException.class, () -> TpchGenerator.loadInto(duckdb, SCALE));
    assertEquals(25L, queryLong("select count(*) from nation"));
    assertFalse(duckdb.isClosed());
  }

  private static Class<?> javaClass(ColumnType type) {
    return switch (type.kind()) {
      case BIGINT -> Long.class;
      case INTEGER -> Integer.class;
      case DOUBLE -> Double.class;
      case DECIMAL -> BigDecimal.class;
      case DATE -> LocalDate.class;
      case TIMESTAMP -> java.time.LocalDateTime.class;
      case VARCHAR -> String.class;
      case BOOLEAN -> Boolean.class;
      case TIMESTAMPTZ -> java.time.OffsetDateTime.class;
      case SMALLINT -> Short.class;
      case TINYINT -> Byte.class;
      case REAL -> Float.class;
      case TIME -> java.time.LocalTime.class;
      case VARBINARY -> byte[].class;
      case UUID -> java.util.UUID.class;
    };
  }

  private static long queryLong(String sql) throws SQLException {
    try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  private static BigDecimal queryDecimal(String sql) throws SQLException {
    try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getBigDecimal(1);
    }
  }

  private static String queryString(String sql) throws SQLException {
    try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }
}
