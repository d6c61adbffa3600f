package dev.cairn.wire.batch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import dev.cairn.wire.UuidText;
import java.util.UUID;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Builds a {@link VectorSchemaRoot} of a {@link TableSchema} from rows of Java values, one
 * class per column kind (the same as {@link dev.cairn.wire.ColumnStats} bounds use, plus the
 * java.time forms): BIGINT Long, INTEGER Integer, DOUBLE Double, DECIMAL BigDecimal (its scale
 * may be smaller than the column's, never larger: nothing is rounded), DATE LocalDate or
 * Integer days, TIMESTAMP LocalDateTime (whole microseconds) or Long micros, TIMESTAMPTZ
 * Instant or OffsetDateTime (whole microseconds) or Long micros since the epoch in UTC,
 * SMALLINT Short, TINYINT Byte, REAL Float, TIME LocalTime (whole microseconds) or Long micros
 * of the day, VARCHAR String, VARBINARY byte[], BOOLEAN Boolean, UUID java.util.UUID or its 16
 * bytes; null for SQL NULL. Anything else is BAD_FORMAT naming the column and row.
 *
 * <p>Meant for tests and importers; it favours clear errors over speed.
 */
public final class BatchBuilder implements AutoCloseable {
  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final int NANOS_PER_MICRO = 1_000;

  private final TableSchema schema;
  private VectorSchemaRoot root;
  private int rows;

  /** Starts an empty batch whose memory comes from {@code allocator}. */
  public BatchBuilder(TableSchema schema, BufferAllocator allocator) {
    this.schema = schema;
    this.root = VectorSchemaRoot.create(schema.toArrow(), allocator);
    root.allocateNew();
  }

  /** Appends one row; {@code values} has one entry per column, in schema order. */
  public BatchBuilder addRow(Object... values) {
    return addRow(java.util.Arrays.asList(values));
  }

  /** Appends one row; {@code values} has one entry per column, in schema order. */
  public BatchBuilder addRow(List<?> values) {
    if (root == null) {
      throw new IllegalStateException("build() was already called");
    }
    if (values.size() != schema.size()) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "row " + rows + " has " + values.size()
          + " values for " + schema.size() + " columns");
    }
    for (int column = 0; column < schema.size(); column++) {
      set(schema.column(column), root.getVector(column), values.get(column));
    }
    rows++;
    return this;
  }

  /** Returns the number of rows added so far. */
  public int rowCount() {
    return rows;
  }

  /** Returns the finished batch, which the caller now owns and must close. */
  public VectorSchemaRoot build() {
    VectorSchemaRoot built = root;
    root = null;
    built.setRowCount(rows);
    return built;
  }

  /** Frees the batch if {@link #build()} was not called. */
  @Override
  public void close() {
    if (root != null) {
      root.close();
      root = null;
    }
  }

  private void set(Column column, FieldVector vector, Object value) {
    if (value == null) {
      if (!column.nullable()) {
        throw bad(column, "is NOT NULL but got null");
      }
      vector.setNull(rows);
      return;
    }
    try {
      setValue(column.type(), vector, value);
    } catch (ClassCastException e) {
      throw bad(column, "cannot hold a " + value.getClass().getSimpleName());
    } catch (ArithmeticException e) {
      throw bad(column, "cannot hold " + value + " exactly");
    }
  }

  private void setValue(ColumnType type, FieldVector vector, Object value) {
    int row = rows;
    // A switch expression, not a statement, so that a new kind fails to compile here.
    Runnable set = switch (type.kind()) {
      case BIGINT -> () -> ((BigIntVector) vector).setSafe(row, (Long) value);
      case INTEGER -> () -> ((IntVector) vector).setSafe(row, (Integer) value);
      case DOUBLE -> () -> ((Float8Vector) vector).setSafe(row, (Double) value);
      case DECIMAL -> () -> ((DecimalVector) vector).setSafe(row, toScale((BigDecimal) value,
          type));
      case DATE -> () -> ((DateDayVector) vector).setSafe(row, toEpochDay(value));
      case TIMESTAMP -> () -> ((TimeStampMicroVector) vector).setSafe(row,
          toEpochMicros(value));
      case VARCHAR -> () -> ((VarCharVector) vector).setSafe(row, toUtf8((String) value));
      case BOOLEAN -> () -> ((BitVector) vector).setSafe(row, (Boolean) value ? 1 : 0);
      case TIMESTAMPTZ -> () -> ((TimeStampMicroTZVector) vector).setSafe(row,
          toInstantMicros(value));
      case SMALLINT -> () -> ((SmallIntVector) vector).setSafe(row, (Short) value);
      case TINYINT -> () -> ((TinyIntVector) vector).setSafe(row, (Byte) value);
      case REAL -> () -> ((Float4Vector) vector).setSafe(row, (Float) value);
      case TIME -> () -> ((TimeMicroVector) vector).setSafe(row, toMicrosOfDay(value));
      case VARBINARY -> () -> ((VarBinaryVector) vector).setSafe(row, (byte[]) value);
      case UUID -> () -> ((FixedSizeBinaryVector) vector).setSafe(row, toUuidBytes(value));
    };
    set.run();
  }

  private static byte[] toUuidBytes(Object value) {
    if (value instanceof UUID uuid) {
      return UuidText.bytes(uuid);
    }
    byte[] bytes = (byte[]) value;
    if (bytes.length != ColumnType.UUID_BYTES) {
      throw new ArithmeticException(bytes.length + " bytes, not 16");
    }
    return bytes;
  }

  private static BigDecimal toScale(BigDecimal value, ColumnType type) {
    BigDecimal scaled = value.setScale(type.scale(), RoundingMode.UNNECESSARY);
    if (scaled.precision() > type.precision() && scaled.signum() != 0) {
      throw new ArithmeticException("more than " + type.precision() + " digits");
    }
    return scaled;
  }

  private static int toEpochDay(Object value) {
    if (value instanceof Integer) {
      return (Integer) value;
    }
    return Math.toIntExact(((LocalDate) value).toEpochDay());
  }

  private static long toEpochMicros(Object value) {
    if (value instanceof Long) {
      return (Long) value;
    }
    LocalDateTime time = (LocalDateTime) value;
    if (time.getNano() % NANOS_PER_MICRO != 0) {
      throw new ArithmeticException("sub-microsecond part");
    }
    long seconds = time.toEpochSecond(ZoneOffset.UTC);
    long micros = Math.multiplyExact(seconds, MICROS_PER_SECOND);
    return Math.addExact(micros, time.getNano() / NANOS_PER_MICRO);
  }

  private static long toInstantMicros(Object value) {
    if (value instanceof Long) {
      return (Long) value;
    }
    Instant instant = value instanceof OffsetDateTime
        ? ((OffsetDateTime) value).toInstant() : (Instant) value;
    if (instant.getNano() % NANOS_PER_MICRO != 0) {
      throw new ArithmeticException("sub-microsecond part");
    }
    long micros = Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND);
    return Math.addExact(micros, instant.getNano() / NANOS_PER_MICRO);
  }

  private static long toMicrosOfDay(Object value) {
    if (value instanceof Long) {
      long micros = (Long) value;
      if (micros < 0 || micros > TimeOfDay.MICROS_PER_DAY) {
        throw new ArithmeticException("outside a day");
      }
      return micros;
    }
    LocalTime time = (LocalTime) value;
    if (time.getNano() % NANOS_PER_MICRO != 0) {
      throw new ArithmeticException("sub-microsecond part");
    }
    return time.toNanoOfDay() / NANOS_PER_MICRO;
  }

  private static byte[] toUtf8(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        // String.getBytes would silently store '?' for it.
        throw new ArithmeticException("unpaired surrogate");
      }
    }
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private CairnException bad(Column column, String detail) {
    return new CairnException(ErrorCode.BAD_FORMAT,
        "column '" + column.name() + "' (" + column.type() + ") row " + rows + " " + detail);
  }
}
