package dev.cairn.wire.batch;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;

/**
 * Copies a vector into a fresh one whose buffers depend only on the column's values.
 *
 * <p>Arrow vectors may carry bytes no reader looks at: data under null slots (Arrow's
 * {@code setNull} only clears the validity bit), bits past the row count in the last bitmap
 * byte, and VARCHAR or VARBINARY offsets that keep a nulled value's bytes. They would leak into the blob and
 * make two blobs of the same rows differ, so the encoder copies every column through here: null
 * slots become zero bytes or zero-length values, trailing bitmap bits are zero.
 *
 * <p>It writes every byte of the copy that a reader sees except zeros: {@code allocateNew}
 * hands out validity, offset and fixed-width value buffers that Arrow has already zeroed, even
 * over recycled memory ({@code RecycledMemoryEncodingTest} encodes the same ids from memory
 * left full of 0xff), so zeroing them again here was a second pass over every value.
 */
final class CanonicalCopy {
  private CanonicalCopy() {
  }

  /** Fills {@code target} (same type, empty) with the first {@code rows} values of source. */
  static void copy(FieldVector source, FieldVector target, int rows) {
    if (source instanceof BaseVariableWidthVector) {
      copyVariableWidth((BaseVariableWidthVector) source, (BaseVariableWidthVector) target, rows);
    } else if (source instanceof BitVector) {
      copyBits((BitVector) source, (BitVector) target, rows);
    } else {
      copyFixedWidth((BaseFixedWidthVector) source, (BaseFixedWidthVector) target, rows);
    }
  }

  private static void copyFixedWidth(BaseFixedWidthVector source, BaseFixedWidthVector target,
      int rows) {
    target.allocateNew(rows);
    int width = source.getTypeWidth();
    ArrowBuf values = target.getDataBuffer();
    ArrowBuf validity = target.getValidityBuffer();
    copyValidity(source.getValidityBuffer(), validity, rows);
    values.setBytes(0, source.getDataBuffer(), 0, (long) rows * width);
    if (source.getNullCount() > 0) {
      for (int row = 0; row < rows; row++) {
        if (BitVectorHelper.get(validity, row) == 0) {
          values.setZero((long) row * width, width);
        }
      }
    }
    target.setValueCount(rows);
  }

  private static void copyBits(BitVector source, BitVector target, int rows) {
    target.allocateNew(rows);
    ArrowBuf values = target.getDataBuffer();
    ArrowBuf validity = target.getValidityBuffer();
    copyValidity(source.getValidityBuffer(), validity, rows);
    int bytes = BitVectorHelper.getValidityBufferSizeFromCount(rows);
    values.setBytes(0, source.getDataBuffer(), 0, bytes);
    // A value bit counts only where the validity bit is set; this also clears trailing bits.
    for (int i = 0; i < bytes; i++) {
      values.setByte(i, values.getByte(i) & validity.getByte(i));
    }
    target.setValueCount(rows);
  }

  private static void copyVariableWidth(BaseVariableWidthVector source,
      BaseVariableWidthVector target, int rows) {
    long dataBytes = rows == 0 ? 0 : source.getEndOffset(rows - 1) - source.getStartOffset(0);
    target.allocateNew(Math.max(dataBytes, 1), rows);
    if (rows > 0 && source.getNullCount() == 0
        && copyVariableWidthWithoutNulls(source, target, rows, dataBytes)) {
      return;
    }
    ArrowBuf sourceData = source.getDataBuffer();
    for (int row = 0; row < rows; row++) {
      if (!source.isNull(row)) {
        int start = source.getStartOffset(row);
        target.setSafe(row, start, source.getEndOffset(row) - start, sourceData);
      }
    }
    target.setValueCount(rows);
  }

  /**
   * Without nulls every row keeps its bytes, so the values are one contiguous range and the
   * offsets are the source's shifted to start at zero: copied in bulk, with the same result
   * as a {@code setSafe} per row. Returns false, leaving {@code target} untouched, when the
   * offsets ever decrease (a malformed input), for the per-row copy to deal with.
   */
  private static boolean copyVariableWidthWithoutNulls(BaseVariableWidthVector source,
      BaseVariableWidthVector target, int rows, long dataBytes) {
    ArrowBuf sourceOffsets = source.getOffsetBuffer();
    int first = source.getStartOffset(0);
    int previous = first;
    for (int row = 1; row <= rows; row++) {
      int offset = sourceOffsets.getInt((long) row * BaseVariableWidthVector.OFFSET_WIDTH);
      if (offset < previous) {
        return false;
      }
      previous = offset;
    }
    ArrowBuf offsets = target.getOffsetBuffer();
    for (int row = 0; row <= rows; row++) {
      long at = (long) row * BaseVariableWidthVector.OFFSET_WIDTH;
      offsets.setInt(at, sourceOffsets.getInt(at) - first);
    }
    target.getDataBuffer().setBytes(0, source.getDataBuffer(), first, dataBytes);
    ArrowBuf validity = target.getValidityBuffer();
    int fullBytes = rows / Byte.SIZE;
    for (int i = 0; i < fullBytes; i++) {
      validity.setByte(i, 0xFF);
    }
    int usedBitsInLastByte = rows % Byte.SIZE;
    if (usedBitsInLastByte != 0) {
      validity.setByte(fullBytes, (1 << usedBitsInLastByte) - 1);
    }
    target.setLastSet(rows - 1);
    target.setValueCount(rows);
    return true;
  }

  private static void copyValidity(ArrowBuf source, ArrowBuf target, int rows) {
    int bytes = BitVectorHelper.getValidityBufferSizeFromCount(rows);
    if (bytes == 0) {
      return;
    }
    target.setBytes(0, source, 0, bytes);
    int usedBitsInLastByte = rows % Byte.SIZE;
    if (usedBitsInLastByte != 0) {
      int mask = (1 << usedBitsInLastByte) - 1;
      target.setByte(bytes - 1, target.getByte(bytes - 1) & mask);
    }
  }
}
