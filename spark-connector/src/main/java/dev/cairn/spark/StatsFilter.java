package dev.cairn.spark;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.UuidText;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.manifest.BatchRef;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.IsNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Or;
import org.apache.spark.sql.sources.StringStartsWith;

/**
 * Decides from a batch's signed column statistics whether it may hold a row a Spark filter
 * keeps. Sound, never complete: a batch is skipped only when a present bound proves no row can
 * pass; an unknown filter, a missing bound, or a literal of a class the column's bounds cannot
 * be compared with proves nothing. Spark still applies every filter to the rows read.
 */
final class StatsFilter {
  private static final LocalDate EPOCH = LocalDate.ofEpochDay(0);
  private static final long NANOS_PER_MICRO = 1_000L;

  private final TableSchema schema;

  StatsFilter(TableSchema schema) {
    this.schema = schema;
  }

  /** Returns true if this filter can ever skip a batch (so it is worth reporting as pushed). */
  boolean canPrune(Filter filter) {
    if (filter instanceof And and) {
      return canPrune(and.left()) || canPrune(and.right());
    }
    if (filter instanceof Or or) {
      return canPrune(or.left()) && canPrune(or.right());
    }
    String column = columnOf(filter);
    return column != null && indexOf(column) >= 0;
  }

  /**
   * Returns true unless the statistics of {@code batch} prove no row passes {@code filter}; for
   * a batch that stores exactly the table's columns.
   */
  boolean mayMatch(BatchRef batch, Filter filter) {
    return mayMatch(batch.rowCount(), batch.stats(), filter);
  }

  /**
   * Returns true unless the statistics {@code tableStats} of a batch of {@code rows} rows, in
   * the table's terms ({@link dev.cairn.wire.manifest.Manifest#tableStats}), prove no row
   * passes {@code filter}. A column the batch lacks is all NULL there, which is exact.
   */
  boolean mayMatch(long rows, List<ColumnStats> tableStats, Filter filter) {
    if (filter instanceof And and) {
      return mayMatch(rows, tableStats, and.left()) && mayMatch(rows, tableStats, and.right());
    }
    if (filter instanceof Or or) {
      return mayMatch(rows, tableStats, or.left()) || mayMatch(rows, tableStats, or.right());
    }
    String name = columnOf(filter);
    int index = name == null ? -1 : indexOf(name);
    if (index < 0 || index >= tableStats.size()) {
      return true;
    }
    ColumnStats stats = tableStats.get(index);
    if (filter instanceof IsNull) {
      return stats.nullCount() > 0;
    }
    if (stats.nullCount() >= rows) {
      return false; // every value NULL: no comparison, IS NOT NULL or prefix holds
    }
    ColumnType.Kind kind = schema.column(index).type().kind();
    Object min = stats.min();
    Object max = stats.max();
    if (filter instanceof IsNotNull) {
      return true;
    }
    if (filter instanceof EqualTo f) {
      Object v = bound(kind, f.value());
      return atLeast(max, v, true) && atMost(min, v, true);
    }
    if (filter instanceof In f) {
      for (Object value : f.values()) {
        Object v = bound(kind, value);
        if (v == null || (atLeast(max, v, true) && atMost(min, v, true))) {
          return true;
        }
      }
      return false;
    }
    if (filter instanceof LessThan f) {
      return atMost(min, bound(kind, f.value()), false);
    }
    if (filter instanceof LessThanOrEqual f) {
      return atMost(min, bound(kind, f.value()), true);
    }
    if (filter instanceof GreaterThan f) {
      return atLeast(max, bound(kind, f.value()), false);
    }
    if (filter instanceof GreaterThanOrEqual f) {
      return atLeast(max, bound(kind, f.value()), true);
    }
    if (filter instanceof StringStartsWith f) {
      // Every string with the prefix sorts at or after the prefix itself.
      return atLeast(max, f.value(), true);
    }
    return true;
  }

  private int indexOf(String name) {
    for (int i = 0; i < schema.size(); i++) {
      Column column = schema.column(i);
      if (column.name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static String columnOf(Filter filter) {
    if (filter instanceof EqualTo f) {
      return f.attribute();
    } else if (filter instanceof In f) {
      return f.attribute();
    } else if (filter instanceof LessThan f) {
      return f.attribute();
    } else if (filter instanceof LessThanOrEqual f) {
      return f.attribute();
    } else if (filter instanceof GreaterThan f) {
      return f.attribute();
    } else if (filter instanceof GreaterThanOrEqual f) {
      return f.attribute();
    } else if (filter instanceof IsNull f) {
      return f.attribute();
    } else if (filter instanceof IsNotNull f) {
      return f.attribute();
    } else if (filter instanceof StringStartsWith f) {
      return f.attribute();
    }
    return null;
  }

  /**
   * Returns a Spark literal in the class the column's statistics bounds have (dates as days,
   * timestamps as microseconds since the epoch), or null when it cannot be compared.
   */
  static Object bound(ColumnType.Kind kind, Object value) {
    if (value == null) {
      return null;
    }
    return switch (kind) {
      case BIGINT, INTEGER, SMALLINT, TINYINT -> integral(value)
          ? ((Number) value).longValue() : null;
      // A Float widens exactly, as the REAL bounds did, and Spark compares in the column's type.
      case DOUBLE, REAL -> value instanceof Double || value instanceof Float
          ? ((Number) value).doubleValue() : null;
      case DECIMAL -> value instanceof BigDecimal d ? d
          : integral(value) ? BigDecimal.valueOf(((Number) value).longValue()) : null;
      case DATE -> value instanceof LocalDate d ? d.toEpochDay()
          : value instanceof java.sql.Date d ? d.toLocalDate().toEpochDay() : null;
      case TIMESTAMP -> value instanceof LocalDateTime t
          ? ChronoUnit.MICROS.between(EPOCH.atStartOfDay(), t) : null;
      case VARCHAR -> value instanceof String ? value : null;
      case BOOLEAN -> value instanceof Boolean ? value : null;
      case TIMESTAMPTZ -> value instanceof Instant i ? instantMicros(i)
          : value instanceof java.sql.Timestamp t ? instantMicros(t.toInstant()) : null;
      // Spark sees TIME as microseconds since midnight (SparkTypes).
      case TIME -> value instanceof Long micros ? micros
          : value instanceof LocalTime t ? t.toNanoOfDay() / NANOS_PER_MICRO : null;
      case VARBINARY -> null; // no bounds are kept
      // Spark sees the text (any case DuckDB reads); the bounds are its canonical form.
      case UUID -> value instanceof String text && UuidText.parseOrNull(text) != null
          ? UuidText.format(UuidText.parseOrNull(text)) : null;
    };
  }

  private static Long instantMicros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  private static boolean integral(Object value) {
    return value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte;
  }

  /** True unless {@code max} proves every value is below {@code v} (or equal, if strict). */
  private static boolean atLeast(Object max, Object v, boolean inclusive) {
    Integer c = compare(max, v);
    return c == null || (inclusive ? c >= 0 : c > 0);
  }

  /** True unless {@code min} proves every value is above {@code v} (or equal, if strict). */
  private static boolean atMost(Object min, Object v, boolean inclusive) {
    Integer c = compare(min, v);
    return c == null || (inclusive ? c <= 0 : c < 0);
  }

  /** Compares a bound with a literal; null when that proves nothing. */
  static Integer compare(Object bound, Object v) {
    if (bound == null || v == null) {
      return null;
    }
    if ((bound instanceof Long || bound instanceof Integer) && v instanceof Long l) {
      return Long.compare(((Number) bound).longValue(), l);
    }
    if (bound instanceof BigDecimal b && v instanceof BigDecimal d) {
      return b.compareTo(d);
    }
    if (bound instanceof Double b && v instanceof Double d) {
      return Double.isNaN(b) || Double.isNaN(d) ? null
          : Double.compare(b == 0.0 ? 0.0 : b, d == 0.0 ? 0.0 : d);
    }
    if (bound instanceof String b && v instanceof String s) {
      return ColumnStats.compareCodePoints(b, s);
    }
    if (bound instanceof Boolean b && v instanceof Boolean d) {
      return Boolean.compare(b, d);
    }
    return null;
  }
}
