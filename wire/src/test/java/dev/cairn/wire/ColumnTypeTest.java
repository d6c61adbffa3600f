package dev.cairn.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.batch.BatchBuilder;
import dev.cairn.wire.batch.ColumnStatsCollector;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** Checks that the facts each column kind carries agree with how the kind is stored. */
class ColumnTypeTest {
  @Test
  void everyKindRoundTripsThroughArrowSqlAndItsCode() {
    for (ColumnType.Kind kind : ColumnType.Kind.values()) {
      ColumnType type = ColumnType.of(kind, 15, 2);
      assertEquals(type, ColumnType.fromArrow(type.toArrow()), kind.name());
      assertEquals(type, ColumnType.parse(type.toSql()), kind.name());
      assertEquals(kind, ColumnType.Kind.fromCode(kind.code()));
    }
  }

  @Test
  void statisticsOfEveryKindAreOfItsCodecsBoundClass() {
    try (BufferAllocator allocator = new RootAllocator()) {
      for (ColumnType.Kind kind : ColumnType.Kind.values()) {
        ColumnType type = ColumnType.of(kind, 15, 2);
        Column column = new Column("c", type, false);
        try (BatchBuilder builder = new BatchBuilder(new TableSchema(List.of(column)),
            allocator)) {
          builder.addRow(sample(kind));
          try (VectorSchemaRoot batch = builder.build()) {
            ColumnStats stats = ColumnStatsCollector.collect(new TableSchema(List.of(column)),
                List.of(batch)).get(0);
            Class<?> bound = kind.statsCodec().boundClass();
            if (kind.statsCodec() == ColumnType.StatsCodec.NONE) {
              assertNull(stats.min(), kind + " keeps no bounds");
              assertNull(stats.max(), kind + " keeps no bounds");
              continue;
            }
            assertTrue(bound.isInstance(stats.min()), kind + " min " + stats.min());
            assertTrue(ColumnStats.boundFits(kind, stats.max()), kind + " max " + stats.max());
          }
        }
      }
    }
  }

  @Test
  void jdbcFactsFollowTheKind() {
    assertEquals(Types.DECIMAL, ColumnType.decimal(15, 2).kind().jdbcType());
    assertEquals(15, ColumnType.decimal(15, 2).columnSize());
    assertEquals(2, ColumnType.decimal(15, 2).fractionalDigits());
    assertEquals(6, ColumnType.TIMESTAMP.fractionalDigits());
    assertNull(ColumnType.BIGINT.fractionalDigits());
    assertEquals(19, ColumnType.BIGINT.columnSize());
    assertEquals(Integer.MAX_VALUE, ColumnType.VARCHAR.columnSize());
    assertEquals(Types.TIMESTAMP_WITH_TIMEZONE, ColumnType.TIMESTAMPTZ.kind().jdbcType());
    assertEquals(6, ColumnType.TIME.fractionalDigits());
    assertEquals(0, ColumnType.SMALLINT.fractionalDigits());
    for (ColumnType.Kind kind : ColumnType.Kind.values()) {
      int jdbc = kind.jdbcType();
      boolean jdbcNumeric = jdbc == Types.BIGINT || jdbc == Types.INTEGER
          || jdbc == Types.SMALLINT || jdbc == Types.TINYINT || jdbc == Types.DOUBLE
          || jdbc == Types.REAL || jdbc == Types.DECIMAL;
      assertEquals(jdbcNumeric, kind.numeric(), kind.name());
    }
  }

  /** Returns one value of {@code kind} as a batch row takes it. */
  private static Object sample(ColumnType.Kind kind) {
    return switch (kind) {
      case BIGINT -> 7L;
      case INTEGER -> 7;
      case DOUBLE -> 7.5;
      case DECIMAL -> new BigDecimal("7.25");
      case DATE -> LocalDate.of(2024, 2, 29);
      case TIMESTAMP -> LocalDateTime.of(2024, 2, 29, 12, 0);
      case VARCHAR -> "seven";
      case BOOLEAN -> true;
      case TIMESTAMPTZ -> Instant.parse("2024-03-01T08:15:30.000001Z");
      case SMALLINT -> (short) -7;
      case TINYINT -> (byte) 7;
      case REAL -> 7.25f;
      case TIME -> LocalTime.of(23, 59, 59, 999_999_000);
      case VARBINARY -> new byte[] {7, 0, -1};
      case UUID -> java.util.UUID.fromString("0e5c6f1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b");
    };
  }
}
