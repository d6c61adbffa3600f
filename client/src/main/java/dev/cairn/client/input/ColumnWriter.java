package dev.cairn.client.input;

import dev.cairn.wire.ColumnType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Writes text values of one column straight into its Arrow vector (no boxed row objects, for
 * speed) and says how many uncompressed bytes each value adds, so batches can be cut near a
 * target size. {@link #set} throws {@link IllegalArgumentException} or {@link
 * ArithmeticException} when the text is not a value of the type.
 */
abstract class ColumnWriter {
  /** Bytes per row of the offsets a variable-width vector keeps. */
  private static final int OFFSET_BYTES = 4;

  /** Returns the writer of {@code type}. */
  static ColumnWriter of(ColumnType type) {
    return switch (type.kind()) {
      case BIGINT -> fixed(8, (v, row, t) -> ((BigIntVector) v).setSafe(row,
          TextValues.parseLong(t.trim())));
      case INTEGER -> fixed(4, (v, row, t) -> ((IntVector) v).setSafe(row,
          TextValues.parseInt(t.trim())));
      case DOUBLE -> fixed(8, (v, row, t) -> ((Float8Vector) v).setSafe(row,
          parseDouble(t.trim())));
      case DECIMAL -> fixed(16, (v, row, t) -> ((DecimalVector) v).setSafe(row,
          toDecimal(t.trim(), type)));
      case DATE -> fixed(4, (v, row, t) -> ((DateDayVector) v).setSafe(row,
          TextValues.parseEpochDay(t.trim())));
      case TIMESTAMP -> fixed(8, (v, row, t) -> ((TimeStampMicroVector) v).setSafe(row,
          TextValues.parseEpochMicros(t.trim())));
      case BOOLEAN -> fixed(1, (v, row, t) -> ((BitVector) v).setSafe(row,
          TextValues.parseBoolean(t.trim()) ? 1 : 0));
      case VARCHAR -> new VarcharWriter();
      case TIMESTAMPTZ -> fixed(8, (v, row, t) -> ((TimeStampMicroTZVector) v).setSafe(row,
          TextValues.parseInstantMicros(t.trim())));
      case SMALLINT -> fixed(2, (v, row, t) -> ((SmallIntVector) v).setSafe(row,
          TextValues.parseShort(t.trim())));
      case TINYINT -> fixed(1, (v, row, t) -> ((TinyIntVector) v).setSafe(row,
          TextValues.parseByte(t.trim())));
      case REAL -> fixed(4, (v, row, t) -> ((Float4Vector) v).setSafe(row,
          TextValues.parseFloat(t.trim())));
      case TIME -> fixed(8, (v, row, t) -> ((TimeMicroVector) v).setSafe(row,
          TextValues.parseMicrosOfDay(t.trim())));
      case VARBINARY -> new VarbinaryWriter();
      case UUID -> fixed(ColumnType.UUID_BYTES, (v, row, t) -> ((FixedSizeBinaryVector) v)
          .setSafe(row, TextValues.parseUuid(t.trim())));
    };
  }

  /** Sets row {@code row} of {@code vector} to {@code text}; returns the bytes it added. */
  abstract long set(FieldVector vector, int row, String text);

  /** Whether the empty string is a value of this type rather than NULL. */
  boolean keepsEmptyString() {
    return false;
  }

  /** A plain decimal the quick exact way, anything else as {@link TextValues} reads it. */
  private static double parseDouble(String text) {
    double plain = PlainDecimals.parse(text);
    return Double.isNaN(plain) ? TextValues.parseDouble(text) : plain;
  }

  private static BigDecimal toDecimal(String text, ColumnType type) {
    BigDecimal value = TextValues.parseDecimal(text).setScale(type.scale(),
        RoundingMode.UNNECESSARY);
    if (value.precision() > type.precision() && value.signum() != 0) {
      throw new ArithmeticException("too many digits");
    }
    return value;
  }

  @FunctionalInterface
  private interface Setter {
    void set(FieldVector vector, int row, String text);
  }

  private static ColumnWriter fixed(long bytes, Setter setter) {
    return new ColumnWriter() {
      @Override
      long set(FieldVector vector, int row, String text) {
        setter.set(vector, row, text);
        return bytes;
      }
    };
  }

  /** Blob text is parsed untrimmed: blanks are bytes. The empty string is NULL, as in CSV. */
  private static final class VarbinaryWriter extends ColumnWriter {
    @Override
    long set(FieldVector vector, int row, String text) {
      byte[] bytes = TextValues.parseBlob(text);
      ((VarBinaryVector) vector).setSafe(row, bytes);
      return bytes.length + OFFSET_BYTES;
    }
  }

  private static final class VarcharWriter extends ColumnWriter {
    @Override
    long set(FieldVector vector, int row, String text) {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      ((VarCharVector) vector).setSafe(row, utf8);
      return utf8.length + OFFSET_BYTES;
    }

    @Override
    boolean keepsEmptyString() {
      return true;
    }
  }
}
