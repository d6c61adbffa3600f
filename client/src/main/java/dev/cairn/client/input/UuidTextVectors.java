package dev.cairn.client.input;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.UuidText;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Turns UUIDs held as text (how DuckDB exports its UUID type to Arrow) into the 16-byte
 * values a UUID column stores.
 */
final class UuidTextVectors {
  private UuidTextVectors() {}

  /** Fills {@code target} with rows {@code start ..< start + rows} of {@code text}, parsed. */
  static void parse(VarCharVector text, int start, int rows, FixedSizeBinaryVector target,
      String label) {
    target.allocateNew(rows);
    for (int row = 0; row < rows; row++) {
      if (text.isNull(start + row)) {
        target.setNull(row);
        continue;
      }
      String value = new String(text.get(start + row), StandardCharsets.UTF_8);
      byte[] bytes = UuidText.parseOrNull(value);
      if (bytes == null) {
        throw new CairnException(ErrorCode.BAD_FORMAT, label + ": column '" + text.getName()
            + "' holds '" + value + "', which is not a UUID");
      }
      target.setSafe(row, bytes);
    }
    target.setValueCount(rows);
  }
}
