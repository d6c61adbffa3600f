package dev.cairn.client.input;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Writes one CSV record's fields into a row of a root of the schema, and names the line and
 * column of every bad value, e.g. {@code line 17, column price: 'abc' is not a DECIMAL(15,2)}.
 * An unquoted empty field is NULL (an error for a NOT NULL column); a quoted empty field is the
 * empty string in a VARCHAR column. Stateless after construction, so threads may share one.
 */
final class CsvRowWriter {
  private static final int SHOWN_VALUE_CHARS_MAX = 60;

  private final TableSchema schema;
  private final ColumnWriter[] writers;
  private final String inferredNote;

  /** Writes rows of {@code schema}; {@code inferredNote} follows every bad-value message. */
  CsvRowWriter(TableSchema schema, String inferredNote) {
    this.schema = requireNonNull(schema, "schema");
    this.inferredNote = requireNonNull(inferredNote, "inferredNote");
    writers = new ColumnWriter[schema.size()];
    for (int c = 0; c < writers.length; c++) {
      writers[c] = ColumnWriter.of(schema.column(c).type());
    }
  }

  /** Uncompressed bytes of validity bitmaps that every eight rows add. */
  long validityBytesPerEightRows() {
    return schema.size();
  }

  /**
   * Writes {@code fields}, the record that starts on {@code line}, as row {@code index} of
   * {@code root}; returns the uncompressed bytes it added.
   */
  long write(VectorSchemaRoot root, int index, long line, List<String> fields) {
    if (fields.size() != writers.length) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "line " + line + ": "
          + fields.size() + " fields, expected " + writers.length);
    }
    long bytes = 0;
    for (int c = 0; c < writers.length; c++) {
      String value = fields.get(c);
      FieldVector vector = root.getVector(c);
      if (value == null || (value.isEmpty() && !writers[c].keepsEmptyString())) {
        Column column = schema.column(c);
        if (!column.nullable()) {
          throw new CairnException(ErrorCode.BAD_FORMAT, "line " + line + ", column "
              + column.name() + ": empty value in a NOT NULL column");
        }
        vector.setNull(index);
        continue;
      }
      try {
        bytes += writers[c].set(vector, index, value);
      } catch (IllegalArgumentException | ArithmeticException e) {
        Column column = schema.column(c);
        throw new CairnException(ErrorCode.BAD_FORMAT, "line " + line + ", column "
            + column.name() + ": '" + shown(value) + "' is not a " + column.type()
            + inferredNote);
      }
    }
    return bytes;
  }

  private static String shown(String value) {
    return value.length() <= SHOWN_VALUE_CHARS_MAX ? value
        : value.substring(0, SHOWN_VALUE_CHARS_MAX) + "...";
  }
}
