package dev.cairn.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.manifest.BatchRef;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.IsNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;
import org.apache.spark.sql.sources.StringStartsWith;
import org.junit.jupiter.api.Test;

/** Spark filters against one batch's signed statistics: skip only what a bound proves. */
class StatsFilterTest {
  private static final TableSchema SCHEMA = new TableSchema(List.of(
      new Column("id", ColumnType.BIGINT, false),
      new Column("n", ColumnType.INTEGER, true),
      new Column("fare", ColumnType.decimal(10, 2), true),
      new Column("day", ColumnType.DATE, true),
      new Column("at", ColumnType.TIMESTAMP, true),
      new Column("city", ColumnType.VARCHAR, true),
      new Column("dist", ColumnType.DOUBLE, true),
      new Column("gone", ColumnType.VARCHAR, true)));
  private static final LocalDate DAY0 = LocalDate.of(2024, 3, 1);
  private static final LocalDateTime AT0 = LocalDateTime.of(2024, 3, 1, 12, 0);

  /** Ids 100..199, n 5..9, fare 1.00..2.50, March 2024, cities b..d, gone all NULL. */
  private static final BatchRef BATCH = new BatchRef(ContentId.of(new byte[] {1}), 10, 100,
      null, List.of(
          new ColumnStats(0, 100L, 199L),
          new ColumnStats(3, 5, 9),
          new ColumnStats(0, new BigDecimal("1.00"), new BigDecimal("2.50")),
          new ColumnStats(0, (int) DAY0.toEpochDay(), (int) DAY0.plusDays(30).toEpochDay()),
          new ColumnStats(0, micros(AT0), micros(AT0.plusHours(5))),
          new ColumnStats(0, "b", "d"),
          new ColumnStats(0, 0.5, 2.0),
          new ColumnStats(100, null, null)));

  private final StatsFilter filter = new StatsFilter(SCHEMA);

  private static long micros(LocalDateTime t) {
    return java.time.temporal.ChronoUnit.MICROS.between(LocalDate.ofEpochDay(0).atStartOfDay(),
        t);
  }

  private boolean may(Filter f) {
    return filter.mayMatch(BATCH, f);
  }

  @Test
  void comparisonsSkipOnlyWhatTheBoundsRuleOut() {
    assertTrue(may(new EqualTo("id", 150L)));
    assertFalse(may(new EqualTo("id", 200L)));
    assertFalse(may(new LessThan("id", 100L)));
    assertTrue(may(new LessThanOrEqual("id", 100L)));
    assertFalse(may(new GreaterThan("id", 199L)));
    assertFalse(may(new GreaterThan("n", 9)), "INTEGER bounds against an int literal");
    assertFalse(may(new In("id", new Object[] {1L, 500L})));
    assertTrue(may(new In("id", new Object[] {1L, 150L})));
    assertFalse(may(new GreaterThan("fare", new BigDecimal("2.5"))));
    assertTrue(may(new GreaterThan("fare", new BigDecimal("2.49"))));
    assertFalse(may(new LessThan("dist", 0.5)));
  }

  @Test
  void datesAndTimestampsCompareAsDaysAndMicroseconds() {
    assertFalse(may(new LessThan("day", DAY0)));
    assertTrue(may(new LessThanOrEqual("day", java.sql.Date.valueOf(DAY0))));
    assertFalse(may(new GreaterThan("day", DAY0.plusDays(30))));
    assertFalse(may(new GreaterThan("at", AT0.plusHours(5))));
    assertTrue(may(new GreaterThan("at", AT0.plusHours(4))));
  }

  @Test
  void newerTypesCompareInTheirBoundsClass() {
    TableSchema schema = new TableSchema(List.of(new Column("s", ColumnType.SMALLINT, true),
        new Column("t", ColumnType.TINYINT, true), new Column("r", ColumnType.REAL, true),
        new Column("tz", ColumnType.TIMESTAMPTZ, true), new Column("tm", ColumnType.TIME, true),
        new Column("b", ColumnType.VARBINARY, true)));
    java.time.Instant at = java.time.Instant.parse("2024-03-01T08:00:00Z");
    long atMicros = at.getEpochSecond() * 1_000_000L;
    BatchRef batch = new BatchRef(ContentId.of(new byte[] {2}), 10, 100, null, List.of(
        new ColumnStats(0, -5, 5), new ColumnStats(0, 10, 20),
        new ColumnStats(0, (double) 0.1f, 1.5), new ColumnStats(0, atMicros, atMicros),
        new ColumnStats(0, 0L, 3_600_000_000L), new ColumnStats(0, null, null)));
    StatsFilter newer = new StatsFilter(schema);
    assertFalse(newer.mayMatch(batch, new GreaterThan("s", (short) 5)));
    assertTrue(newer.mayMatch(batch, new EqualTo("s", (short) -5)));
    assertFalse(newer.mayMatch(batch, new LessThan("t", (byte) 10)));
    assertTrue(newer.mayMatch(batch, new EqualTo("r", 0.1f)), "a float widens exactly");
    assertFalse(newer.mayMatch(batch, new GreaterThan("r", 1.5f)));
    assertFalse(newer.mayMatch(batch, new GreaterThan("tz", at)));
    assertTrue(newer.mayMatch(batch, new EqualTo("tz", java.sql.Timestamp.from(at))));
    assertFalse(newer.mayMatch(batch, new GreaterThan("tm", 3_600_000_000L)));
    assertTrue(newer.mayMatch(batch, new EqualTo("b", new byte[] {1})), "no bounds");
  }

  @Test
  void uuidsCompareAsTheirCanonicalTextInDuckDbsOrder() {
    StatsFilter uuids = new StatsFilter(new TableSchema(List.of(
        new Column("u", ColumnType.UUID, true))));
    BatchRef batch = new BatchRef(ContentId.of(new byte[] {3}), 10, 100, null, List.of(
        new ColumnStats(0, "7fffffff-ffff-4fff-bfff-ffffffffffff",
            "80000000-0000-4000-8000-000000000001")));
    assertTrue(uuids.mayMatch(batch, new EqualTo("u", "80000000-0000-4000-8000-000000000001")));
    assertFalse(uuids.mayMatch(batch, new GreaterThan("u",
        "80000000-0000-4000-8000-000000000001")));
    assertFalse(uuids.mayMatch(batch, new GreaterThan("u",
        "A0000000-0000-4000-8000-000000000000")), "upper case compares as its canonical text");
    assertFalse(uuids.mayMatch(batch, new LessThan("u", "7fffffff-0000-4000-8000-000000000000")));
    assertTrue(uuids.mayMatch(batch, new EqualTo("u", "not a uuid")), "proves nothing");
  }

  @Test
  void textComparesByCodePointAndPrefixes() {
    assertFalse(may(new EqualTo("city", "a")));
    assertTrue(may(new EqualTo("city", "c")));
    assertFalse(may(new StringStartsWith("city", "e")));
    assertTrue(may(new StringStartsWith("city", "d")));
  }

  @Test
  void nullsAndCombinations() {
    assertFalse(may(new IsNull("id")));
    assertTrue(may(new IsNull("n")));
    assertFalse(may(new IsNotNull("gone")), "every value NULL");
    assertFalse(may(new EqualTo("gone", "x")));
    assertFalse(may(new And(new EqualTo("id", 150L), new EqualTo("city", "z"))));
    assertTrue(may(new Or(new EqualTo("id", 150L), new EqualTo("city", "z"))));
    assertFalse(may(new Or(new EqualTo("id", 1L), new EqualTo("city", "z"))));
  }

  @Test
  void whatCannotBeComparedProvesNothing() {
    assertTrue(may(new Not(new EqualTo("id", 150L))), "NOT is never used to skip");
    assertTrue(may(new EqualTo("id", "150")), "a text literal against BIGINT bounds");
    assertTrue(may(new EqualTo("dist", new BigDecimal("99"))));
    assertTrue(may(new EqualTo("nosuch", 1L)));
    assertTrue(filter.canPrune(new EqualTo("id", 1L)));
    assertFalse(filter.canPrune(new Not(new EqualTo("id", 1L))));
    assertFalse(filter.canPrune(new Or(new EqualTo("id", 1L), new Not(new IsNull("n")))));
  }
}
