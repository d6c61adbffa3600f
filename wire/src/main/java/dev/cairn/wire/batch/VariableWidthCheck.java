package dev.cairn.wire.batch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * The full check of a decoded VARCHAR or VARBINARY vector: offsets start at or above 0, never
 * decrease and end inside the data buffer, and VARCHAR values are strict UTF-8 ({@link Utf8},
 * the rule the encoder's statistics apply, so every blob a Cairn writer made passes).
 *
 * <p>It replaces Arrow's {@code ValueVectorUtility.validateFull} for these vectors, which boxes
 * several Integers and builds a message string for every value it checks, and copies each
 * VARCHAR value into a new array: that was most of a cold query's decoding CPU. Here the
 * values' bytes are checked as one range, then each non-empty value must start on a code point:
 * a valid range cut only at code point starts is a run of valid values, so this is exactly the
 * per-value check.
 */
final class VariableWidthCheck {
  /** Per-thread copy of a vector's value bytes; loads run on a few threads. */
  private static final ThreadLocal<ReusedArray> SCRATCH =
      ThreadLocal.withInitial(ReusedArray::new);

  private VariableWidthCheck() {}

  /** Throws BAD_FORMAT, naming the column, if {@code vector} breaks a rule above. */
  static void check(BaseVariableWidthVector vector) {
    int count = vector.getValueCount();
    if (count == 0) {
      return;
    }
    ArrowBuf offsets = vector.getOffsetBuffer();
    ArrowBuf data = vector.getDataBuffer();
    if (offsets.capacity() < (count + 1L) * BaseVariableWidthVector.OFFSET_WIDTH) {
      throw bad(vector, "its offset buffer is shorter than " + (count + 1) + " offsets");
    }
    int first = offsets.getInt(0);
    if (first < 0) {
      throw bad(vector, "its first offset is negative");
    }
    int previous = first;
    for (int i = 1; i <= count; i++) {
      int next = offsets.getInt((long) i * BaseVariableWidthVector.OFFSET_WIDTH);
      if (next < previous) {
        throw bad(vector, "its offsets decrease at value " + (i - 1));
      }
      previous = next;
    }
    int last = previous;
    if (last > data.capacity()) {
      throw bad(vector, "its offsets end at " + last + ", past its " + data.capacity()
          + "-byte data buffer");
    }
    if (vector instanceof VarCharVector) {
      checkUtf8(vector, offsets, data, count, first, last);
    }
  }

  private static void checkUtf8(BaseVariableWidthVector vector, ArrowBuf offsets, ArrowBuf data,
      int count, int first, int last) {
    int length = last - first;
    byte[] bytes = SCRATCH.get().copyOf(data, first, length);
    if (!Utf8.isValid(bytes, 0, length)) {
      throw bad(vector, "it holds bytes that are not UTF-8");
    }
    int start = first;
    for (int i = 0; i < count; i++) {
      int end = offsets.getInt((long) (i + 1) * BaseVariableWidthVector.OFFSET_WIDTH);
      if (end > start && (bytes[start - first] & 0xc0) == 0x80) {
        throw bad(vector, "value " + i + " starts inside a UTF-8 character");
      }
      start = end;
    }
  }

  private static CairnException bad(BaseVariableWidthVector vector, String why) {
    return new CairnException(ErrorCode.BAD_FORMAT, "column " + vector.getName() + ": " + why);
  }
}
