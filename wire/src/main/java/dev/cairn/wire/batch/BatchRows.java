package dev.cairn.wire.batch;

import dev.cairn.wire.ColumnType;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Reads a batch back as rows of Java values, the inverse of {@link BatchBuilder}: BIGINT
 * Long, INTEGER Integer, DOUBLE Double, DECIMAL BigDecimal at the column's scale, DATE
 * LocalDate, TIMESTAMP LocalDateTime, TIMESTAMPTZ OffsetDateTime at UTC, SMALLINT Short,
 * TINYINT Byte, REAL Float, TIME LocalTime, VARCHAR String, VARBINARY byte[], BOOLEAN Boolean, UUID java.util.UUID,
 * NULL null. Boxes every
 * value: for tests, tools and small results, not for scans.
 */
public final class BatchRows {
  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final int NANOS_PER_MICRO = 1_000;

  private BatchRows() {
  }

  /** Returns every row of {@code root}, each a list with one value per column. */
  public static List<List<Object>> read(VectorSchemaRoot root) {
    List<List<Object>> rows = new ArrayList<>(root.getRowCount());
    List<FieldVector> vectors = root.getFieldVectors();
    for (int row = 0; row < root.getRowCount(); row++) {
      Object[] values = new Object[vectors.size()];
      for (int column = 0; column < values.length; column++) {
        values[column] = value(vectors.get(column), row);
      }
      rows.add(Arrays.asList(values));
    }
    return rows;
  }

  /** Returns the value at {@code row} of {@code vector} as the Java class above. */
  public static Object value(FieldVector vector, int row) {
    if (vector.isNull(row)) {
      return null;
    }
    ColumnType type = ColumnType.fromArrow(vector.getField().getType());
    return switch (type.kind()) {
      case BIGINT -> ((BigIntVector) vector).get(row);
      case INTEGER -> ((IntVector) vector).get(row);
      case DOUBLE -> ((Float8Vector) vector).get(row);
      case DECIMAL -> ((DecimalVector) vector).getObject(row);
      case DATE -> LocalDate.ofEpochDay(((DateDayVector) vector).get(row));
      case TIMESTAMP -> toLocalDateTime(((TimeStampMicroVector) vector).get(row));
      case VARCHAR -> new String(((VarCharVector) vector).get(row), StandardCharsets.UTF_8);
      case BOOLEAN -> ((BitVector) vector).get(row) != 0;
      case TIMESTAMPTZ -> toLocalDateTime(((TimeStampMicroTZVector) vector).get(row))
          .atOffset(ZoneOffset.UTC);
      case SMALLINT -> ((SmallIntVector) vector).get(row);
      case TINYINT -> ((TinyIntVector) vector).get(row);
      case REAL -> ((Float4Vector) vector).get(row);
      case TIME -> LocalTime.ofNanoOfDay(microsOfDayToNanos(((TimeMicroVector) vector).get(row)));
      case VARBINARY -> ((VarBinaryVector) vector).get(row);
      case UUID -> UuidText.uuid(((FixedSizeBinaryVector) vector).get(row));
    };
  }

  /** 24:00:00, which DuckDB allows and LocalTime does not, reads as 23:59:59.999999. */
  private static long microsOfDayToNanos(long micros) {
    return Math.min(micros, TimeOfDay.MICROS_PER_DAY - 1) * NANOS_PER_MICRO;
  }

  private static LocalDateTime toLocalDateTime(long micros) {
    long seconds = Math.floorDiv(micros, MICROS_PER_SECOND);
    int nanos = (int) Math.floorMod(micros, MICROS_PER_SECOND) * NANOS_PER_MICRO;
    return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
  }
}
