package dev.cairn.wire.batch;

import static dev.cairn.wire.batch.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ColumnStatsCollectorTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void noLeak() {
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  private List<ColumnStats> stats(TableSchema schema, List<List<Object>> rows) {
    try (VectorSchemaRoot root = Fixtures.build(schema, rows, allocator)) {
      return ColumnStatsCollector.collect(schema, List.of(root));
    }
  }

  private static TableSchema one(ColumnType type) {
    return new TableSchema(List.of(new Column("c", type, true)));
  }

  @Test
  void emptyVectorsOfEveryKindAddNothing() {
    // Fresh vectors with no rows may have no buffers at all (no offsets for a VARCHAR).
    for (int index = 0; index < Fixtures.ALL_TYPES.size(); index++) {
      Column column = Fixtures.ALL_TYPES.column(index);
      try (FieldVector empty = Fixtures.ALL_TYPES.toArrow().getFields().get(index)
          .createVector(allocator)) {
        empty.setValueCount(0);
        ColumnStatsCollector collector = ColumnStatsCollector.forColumn(column);
        collector.add(empty);
        assertEquals(new ColumnStats(0, null, null), collector.finish(), column.name());
        assertEquals(0, collector.rowCount());
      }
    }
  }

  @Test
  void extremeRowsFollowTheRules() {
    List<ColumnStats> stats = stats(Fixtures.ALL_TYPES, Fixtures.extremeRows());
    assertEquals(new ColumnStats(0, Long.MIN_VALUE, Long.MAX_VALUE), stats.get(0));
    assertEquals(new ColumnStats(1, Integer.MIN_VALUE, Integer.MAX_VALUE), stats.get(1));
    // NaN present: max unknown, min over the rest; -0.0 normalised.
    assertEquals(new ColumnStats(1, Double.NEGATIVE_INFINITY, null), stats.get(2));
    BigDecimal big = new BigDecimal("9999999999999999999999999999999999.9999");
    assertEquals(new ColumnStats(1, big.negate(), big), stats.get(3));
    assertEquals(new ColumnStats(1, (int) LocalDate.of(1, 1, 1).toEpochDay(),
        (int) LocalDate.of(9999, 12, 31).toEpochDay()), stats.get(4));
    assertEquals(1, stats.get(5).nullCount());
    assertEquals(Long.class, stats.get(5).min().getClass());
    assertEquals(new ColumnStats(1, "", "z\u00e9\u4e2d\uD83D\uDE00"), stats.get(6));
    assertEquals(new ColumnStats(2, false, true), stats.get(7));
  }

  @Test
  void negativeZeroBoundsBecomePositiveZero() {
    List<ColumnStats> stats = stats(one(ColumnType.DOUBLE), List.of(row(-0.0), row(0.0)));
    assertEquals(Double.doubleToRawLongBits(0.0),
        Double.doubleToRawLongBits((Double) stats.get(0).min()));
    assertEquals(Double.doubleToRawLongBits(0.0),
        Double.doubleToRawLongBits((Double) stats.get(0).max()));
    List<ColumnStats> nan = stats(one(ColumnType.DOUBLE), List.of(row(Double.NaN)));
    assertEquals(new ColumnStats(0, null, null), nan.get(0));
  }

  @Test
  void allNullColumnHasNoBounds() {
    for (ColumnType type : List.of(ColumnType.BIGINT, ColumnType.VARCHAR, ColumnType.DOUBLE,
        ColumnType.decimal(5, 2), ColumnType.BOOLEAN)) {
      assertEquals(new ColumnStats(2, null, null),
          stats(one(type), List.of(row((Object) null), row((Object) null))).get(0));
    }
  }

  @Test
  void stringsCompareByUnsignedUtf8Bytes() {
    // U+FFFD (EF BF BD) sorts below U+1F600 (F0 ...) in code point order but above it in
    // UTF-16 order, which String.compareTo uses.
    String replacement = "\uFFFD";
    String emoji = "\uD83D\uDE00";
    List<ColumnStats> stats = stats(one(ColumnType.VARCHAR),
        List.of(row(emoji), row(replacement), row("A")));
    assertEquals(new ColumnStats(0, "A", emoji), stats.get(0));
  }

  @Test
  void stringBoundsAreRightWhereTheFirstEightBytesTieOrHoldNuls() {
    // Values that share their first eight bytes, differ only past them, are shorter than
    // eight bytes with NULs where the padding would be, or differ in a byte above 0x7F.
    String[] pool = {"abcdefgh", "abcdefgh\0", "abcdefghi", "abcdefgg\uFFFD", "abc", "abc\0",
        "abc\0\0\0\0\0\0", "", "\0", "\u00e9", "abcdefgh\u00e9", "zzzzzzzz", "zzzzzzz",
        "zzzzzzzzz", "\uFFFD\uFFFD\uFFFD"};
    Random random = new Random(8);
    for (int round = 0; round < 200; round++) {
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 1 + random.nextInt(6); i > 0; i--) {
        rows.add(row(pool[random.nextInt(pool.length)]));
      }
      TableSchema schema = one(ColumnType.VARCHAR);
      assertEquals(naive(ColumnType.VARCHAR, rows, 0), stats(schema, rows).get(0),
          rows.toString());
    }
  }

  @Test
  void boundOfExactlyTheLimitIsKept() {
    String limit = "a".repeat(ColumnStats.STRING_BOUND_BYTES_MAX);
    String over = "b".repeat(ColumnStats.STRING_BOUND_BYTES_MAX + 1);
    assertEquals(new ColumnStats(0, limit, null),
        stats(one(ColumnType.VARCHAR), List.of(row(limit), row(over))).get(0));
  }

  @Test
  void invalidUtf8IsRefused() {
    TableSchema schema = one(ColumnType.VARCHAR);
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema.toArrow(), allocator)) {
      VarCharVector strings = (VarCharVector) root.getVector(0);
      strings.allocateNew(1);
      strings.setSafe(0, new byte[] {'a', (byte) 0xC0, (byte) 0x80});
      root.setRowCount(1);
      CairnException e = assertThrows(CairnException.class,
          () -> ColumnStatsCollector.collect(schema, List.of(root)));
      assertEquals(ErrorCode.BAD_FORMAT, e.code());
    }
    assertEquals(false, Utf8.isValid(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3));
    assertEquals(false, Utf8.isValid(new byte[] {(byte) 0xF4, (byte) 0x90, 0x40, 0x40}, 0, 4));
    byte[] ok = "z\u00e9\u4e2d\uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
    assertEquals(true, Utf8.isValid(ok, 0, ok.length));
  }

  /**
   * A parser's root ({@link ParsedRoot}) skips only the second UTF-8 check: same statistics and
   * the same blob as a plain root of the same values, its NOT NULL still checked; while the
   * same invalid bytes in a plain root, as rows from a file or another format come, are
   * refused by the encoder.
   */
  @Test
  void onlyAParsersRootSkipsTheUtf8Check() {
    TableSchema schema = new TableSchema(List.of(new Column("s", ColumnType.VARCHAR, true),
        new Column("n", ColumnType.BIGINT, false)));
    byte[][] values = {"z\u00e9".getBytes(StandardCharsets.UTF_8), null,
        "plain".getBytes(StandardCharsets.UTF_8)};
    try (VectorSchemaRoot plain = VectorSchemaRoot.create(schema.toArrow(), allocator);
        VectorSchemaRoot parsed = new ParsedRoot(schema.toArrow(), allocator)) {
      fill(plain, values, false);
      fill(parsed, values, false);
      BatchEncoder encoder = new BatchEncoder(allocator);
      EncodedBatch fromPlain = encoder.encode(schema, plain);
      EncodedBatch fromParsed = encoder.encode(schema, parsed);
      assertEquals(fromPlain.columnStats(), fromParsed.columnStats());
      assertEquals(fromPlain.id(), fromParsed.id());
      assertEquals(ColumnStatsCollector.collect(schema, List.of(plain)),
          ColumnStatsCollector.collect(schema, List.of(parsed)));
      fill(parsed, values, true);
      assertEquals(ErrorCode.BAD_FORMAT, assertThrows(CairnException.class,
          () -> encoder.encode(schema, parsed)).code());
      values[2] = new byte[] {'a', (byte) 0xC0, (byte) 0x80};
      fill(plain, values, false);
      CairnException refused = assertThrows(CairnException.class,
          () -> encoder.encode(schema, plain));
      assertEquals(ErrorCode.BAD_FORMAT, refused.code());
      assertEquals(true, refused.getMessage().contains("not valid UTF-8"), refused.getMessage());
    }
  }

  /** Writes {@code values} as column s and 1, 2, ... as n (null in row 0 if {@code nullN}). */
  private static void fill(VectorSchemaRoot root, byte[][] values, boolean nullN) {
    root.allocateNew();
    VarCharVector strings = (VarCharVector) root.getVector(0);
    org.apache.arrow.vector.BigIntVector numbers =
        (org.apache.arrow.vector.BigIntVector) root.getVector(1);
    for (int row = 0; row < values.length; row++) {
      if (values[row] == null) {
        strings.setNull(row);
      } else {
        strings.setSafe(row, values[row]);
      }
      if (nullN && row == 0) {
        numbers.setNull(row);
      } else {
        numbers.setSafe(row, row + 1);
      }
    }
    root.setRowCount(values.length);
  }

  @Test
  void statsMatchANaiveComputationOnRandomData() {
    Random random = new Random(20240601L);
    for (int round = 0; round < 20; round++) {
      int rowCount = random.nextInt(300);
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 0; i < rowCount; i++) {
        rows.add(randomRow(random));
      }
      List<ColumnStats> actual = stats(Fixtures.ALL_TYPES, rows);
      for (int column = 0; column < Fixtures.ALL_TYPES.size(); column++) {
        assertEquals(naive(Fixtures.ALL_TYPES.column(column).type(), rows, column),
            actual.get(column), "round " + round + " column " + column);
      }
    }
  }

  private static List<Object> randomRow(Random random) {
    boolean nulls = random.nextInt(4) == 0;
    return row(random.nextLong(),
        nulls ? null : random.nextInt(),
        nulls ? null : (random.nextInt(50) == 0 ? Double.NaN : random.nextGaussian() * 1e6),
        nulls ? null : new BigDecimal(random.nextLong()).movePointLeft(4)
            .multiply(BigDecimal.valueOf(random.nextInt(1000) - 500)),
        nulls ? null : LocalDate.ofEpochDay(random.nextInt(80_000) - 40_000),
        nulls ? null : LocalDateTime.of(1900 + random.nextInt(200), 1, 1, 0, 0)
            .plusNanos(random.nextInt(1_000_000) * 1000L),
        nulls ? null : randomString(random),
        nulls ? null : random.nextBoolean());
  }

  private static String randomString(Random random) {
    int[] pool = {'a', 'z', 'A', 0xE9, 0x4E2D, 0xFFFD, 0x1F600};
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(10) == 0 ? 70 : random.nextInt(6);
    for (int i = 0; i < length; i++) {
      text.appendCodePoint(pool[random.nextInt(pool.length)]);
    }
    return text.toString();
  }

  /** Boxed, obviously correct reference: sort the non-null values. */
  private static ColumnStats naive(ColumnType type, List<List<Object>> rows, int column) {
    List<Object> values = new ArrayList<>();
    for (List<Object> row : rows) {
      values.add(toBound(type, row.get(column)));
    }
    long nulls = values.stream().filter(Objects::isNull).count();
    List<Object> present = new ArrayList<>(values.stream().filter(Objects::nonNull).toList());
    boolean nan = present.remove((Object) Double.NaN);
    present.removeIf(v -> v instanceof Double && ((Double) v).isNaN());
    if (present.isEmpty()) {
      return new ColumnStats(nulls, null, null);
    }
    present.sort(comparator(type));
    Object min = present.get(0);
    Object max = nan ? null : present.get(present.size() - 1);
    if (type.kind() == ColumnType.Kind.VARCHAR) {
      min = fits((String) min) ? min : null;
      max = max != null && fits((String) max) ? max : null;
    }
    return new ColumnStats(nulls, min, max);
  }

  private static boolean fits(String value) {
    return value.getBytes(StandardCharsets.UTF_8).length <= ColumnStats.STRING_BOUND_BYTES_MAX;
  }

  @SuppressWarnings("unchecked")
  private static Comparator<Object> comparator(ColumnType type) {
    if (type.kind() == ColumnType.Kind.VARCHAR) {
      return (a, b) -> Arrays.compareUnsigned(((String) a).getBytes(StandardCharsets.UTF_8),
          ((String) b).getBytes(StandardCharsets.UTF_8));
    }
    return (a, b) -> ((Comparable<Object>) a).compareTo(b);
  }

  private static Object toBound(ColumnType type, Object value) {
    if (value instanceof LocalDate) {
      return (int) ((LocalDate) value).toEpochDay();
    }
    if (value instanceof LocalDateTime) {
      LocalDateTime time = (LocalDateTime) value;
      return time.toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000L + time.getNano() / 1000;
    }
    if (value instanceof BigDecimal) {
      return ((BigDecimal) value).setScale(type.scale());
    }
    return value;
  }
}
