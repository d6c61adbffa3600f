package dev.cairn.wire.batch;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TypeWidening;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Presents a decoded column of a batch written before its table evolved in the table's terms
 * (docs/protocol.md, 4.9), for readers that hand Arrow vectors on as they are (the Spark
 * connector): a column the batch lacks as a vector of NULLs, one stored narrower copied into
 * the wider type. The caller owns and closes what these return.
 */
public final class WidenedVectors {
  private WidenedVectors() {}

  /** Returns a vector of {@code column}'s Arrow type with {@code rows} NULLs. */
  public static FieldVector nulls(Column column, int rows, BufferAllocator allocator) {
    FieldVector vector = field(column).createVector(allocator);
    vector.setInitialCapacity(rows);
    vector.allocateNew(); // validity bits start cleared: every slot NULL
    vector.setValueCount(rows);
    return vector;
  }

  /**
   * Returns {@code from} (of the stored type {@code stored}) as a new vector of {@code
   * column}'s type, which {@code stored} widens to; every value is kept exactly.
   */
  public static FieldVector widen(FieldVector from, ColumnType stored, Column column,
      BufferAllocator allocator) {
    if (!TypeWidening.widensTo(stored, column.type())) {
      throw new IllegalArgumentException(stored + " does not widen to " + column.type());
    }
    FieldVector out = field(column).createVector(allocator);
    int rows = from.getValueCount();
    out.setInitialCapacity(rows);
    out.allocateNew();
    for (int i = 0; i < rows; i++) {
      if (!from.isNull(i)) {
        copy(from, out, column.type(), i);
      }
    }
    out.setValueCount(rows);
    return out;
  }

  /** Copies row {@code i}, by the Java class the wider type's statistics use. */
  private static void copy(FieldVector from, FieldVector out, ColumnType to, int i) {
    switch (to.kind().statsCodec()) {
      // Every integer kind reaches a wider one (TINYINT → SMALLINT → INTEGER → BIGINT), so the
      // "possible truncate" setter never truncates here.
      case LONG, INT -> ((BaseIntVector) out).setWithPossibleTruncate(i,
          ((BaseIntVector) from).getValueAsLong(i));
      case DOUBLE -> ((Float8Vector) out).set(i,
          ((FloatingPointVector) from).getValueAsDouble(i));
      case DECIMAL -> ((DecimalVector) out).set(i, ((DecimalVector) from).getObject(i));
      case STRING, BOOLEAN, NONE -> throw new IllegalStateException("no widening reaches " + to);
    }
  }

  private static Field field(Column column) {
    return new Field(column.name(), new FieldType(true, column.type().toArrow(), null), null);
  }
}
