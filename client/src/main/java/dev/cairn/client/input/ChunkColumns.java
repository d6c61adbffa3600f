package dev.cairn.client.input;

import dev.cairn.wire.batch.ByteArrayViews;
import java.util.Arrays;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The values {@link CsvBytesParser} reads from one chunk, per column, in plain arrays laid out
 * as Arrow lays out its buffers (little-endian values, a validity bitmap, VARCHAR offsets and
 * bytes), moved into the root's vectors in one copy per buffer once the whole chunk is read.
 * Arrow's per-value setters check capacity, bounds and the buffer's reference count at every
 * call; plain arrays copied once a buffer cut the parse's CPU of lineitem by about a tenth
 * (docs/benchmarks.md, "Parsed values in arrays, and donors' writes in calls of 1 MiB").
 * Columns of the types parsed from text only are written to their vectors as before.
 *
 * <p>Each chunk writes every column of every row exactly once, in row order. Not thread-safe:
 * a parser hands one to each chunk it parses and takes it back for the next. Validity starts
 * all set and a NULL clears its bit: NULLs are rare, and a read-modify-write of the bitmap
 * for every value was about a twentieth of the parse (docs/benchmarks.md, "Parsed values
 * valid until NULL, and one direct copy for every replica").
 */
final class ChunkColumns {
  /** A column written straight to its vector, not kept here. */
  static final int IN_VECTOR = -1;
  /** A VARCHAR column: offsets and bytes. */
  static final int VARIABLE = 0;
  private static final int OFFSET_BYTES = BaseVariableWidthVector.OFFSET_WIDTH;
  private static final int FIRST_CAPACITY = 1024;
  /** A first guess at a VARCHAR value's bytes, for the first array; grown on demand. */
  private static final int FIRST_VALUE_BYTES = 16;
  private static final byte ALL_VALID = (byte) 0xFF;
  /** A VARCHAR value this short is copied as two longs (see putBytes). */
  private static final int SHORT_VALUE_BYTES = 2 * Long.BYTES;

  /** Per column: its value width in bytes, {@link #VARIABLE} or {@link #IN_VECTOR}. */
  private final int[] widths;
  private final byte[][] values;
  private final byte[][] offsets;
  private final byte[][] validity;
  private final int[] dataEnds;
  /** One-row vectors the text path writes a value into before it is copied here. */
  private final FieldVector[] scratch;
  private int capacity;
  /** Rows the arrays may hold cleared bits or values for, reset before the next chunk. */
  private int dirtyRows;

  ChunkColumns(int[] widths) {
    this.widths = widths.clone();
    int columns = widths.length;
    values = new byte[columns][];
    offsets = new byte[columns][];
    validity = new byte[columns][];
    dataEnds = new int[columns];
    scratch = new FieldVector[columns];
    capacity = FIRST_CAPACITY;
    for (int c = 0; c < columns; c++) {
      if (widths[c] == IN_VECTOR) {
        continue;
      }
      validity[c] = allValid(validityBytes(capacity));
      if (widths[c] == VARIABLE) {
        offsets[c] = new byte[(capacity + 1) * OFFSET_BYTES];
        values[c] = new byte[capacity * FIRST_VALUE_BYTES];
      } else {
        values[c] = new byte[capacity * widths[c]];
      }
    }
  }

  /** Empties the columns for a new chunk: every bit valid again. */
  void clear() {
    int dirtyBytes = validityBytes(dirtyRows);
    for (int c = 0; c < widths.length; c++) {
      if (widths[c] != IN_VECTOR) {
        Arrays.fill(validity[c], 0, dirtyBytes, ALL_VALID);
        dataEnds[c] = 0;
      }
    }
    dirtyRows = 0;
  }

  /** Makes room for row {@code row}, the next row to be written. */
  void startRow(int row) {
    dirtyRows = row + 1;
    if (row < capacity) {
      return;
    }
    // Past an array's size limit this throws ArithmeticException: the parser then gives the
    // chunk to the tokenizer's path, as for any value it does not read itself.
    int grown = Math.max(row + 1, (int) Math.min(Integer.MAX_VALUE - 8, capacity * 2L));
    for (int c = 0; c < widths.length; c++) {
      if (widths[c] == IN_VECTOR) {
        continue;
      }
      int had = validity[c].length;
      validity[c] = Arrays.copyOf(validity[c], validityBytes(grown));
      Arrays.fill(validity[c], had, validity[c].length, ALL_VALID);
      if (widths[c] == VARIABLE) {
        offsets[c] = Arrays.copyOf(offsets[c], Math.multiplyExact(grown + 1, OFFSET_BYTES));
      } else {
        values[c] = Arrays.copyOf(values[c], Math.multiplyExact(grown, widths[c]));
      }
    }
    capacity = grown;
  }

  void putLong(int column, int row, long value) {
    ByteArrayViews.LONG_LE.set(values[column], row * Long.BYTES, value);
  }

  void putInt(int column, int row, int value) {
    ByteArrayViews.INT_LE.set(values[column], row * Integer.BYTES, value);
  }

  /** A DECIMAL's unscaled value as Arrow's 16-byte little-endian two's complement. */
  void putDecimal(int column, int row, long unscaled) {
    int at = row * DecimalVector.TYPE_WIDTH;
    ByteArrayViews.LONG_LE.set(values[column], at, unscaled);
    ByteArrayViews.LONG_LE.set(values[column], at + Long.BYTES, unscaled >> 63);
  }

  void putBytes(int column, int row, byte[] bytes, int from, int length) {
    int end = dataEnds[column];
    byte[] data = values[column];
    if (data.length - end < SHORT_VALUE_BYTES + length) {
      data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8,
          Math.max((long) end + length + SHORT_VALUE_BYTES, 2L * data.length)));
      values[column] = data;
    }
    if (length <= SHORT_VALUE_BYTES && bytes.length - from >= SHORT_VALUE_BYTES) {
      // Two longs instead of a call to the array copy stub, which costs more than the copy
      // for the short values most VARCHAR columns hold; the bytes past the value written
      // here are overwritten by the next one or never read (moveInto copies up to the end).
      ByteArrayViews.LONG_LE.set(data, end, (long) ByteArrayViews.LONG_LE.get(bytes, from));
      ByteArrayViews.LONG_LE.set(data, end + Long.BYTES,
          (long) ByteArrayViews.LONG_LE.get(bytes, from + Long.BYTES));
    } else {
      System.arraycopy(bytes, from, data, end, length);
    }
    dataEnds[column] = end + length;
    ByteArrayViews.INT_LE.set(offsets[column], (row + 1) * OFFSET_BYTES, end + length);
  }

  /** A NULL: no validity bit, zero value bytes (the arrays are reused), an empty VARCHAR. */
  void putNull(int column, int row) {
    validity[column][row >>> 3] &= (byte) ~(1 << (row & 7));
    if (widths[column] == VARIABLE) {
      ByteArrayViews.INT_LE.set(offsets[column], (row + 1) * OFFSET_BYTES, dataEnds[column]);
    } else {
      int width = widths[column];
      Arrays.fill(values[column], row * width, (row + 1) * width, (byte) 0);
    }
  }

  /** Copies row 0 of {@code vector} (a fixed-width one of this column's type, non-null). */
  void putFromVector(int column, int row, FieldVector vector) {
    int width = widths[column];
    vector.getDataBuffer().getBytes(0, values[column], row * width, width);
  }

  /**
   * A one-row vector like {@code like}, in its memory, for the text path to write a value of
   * this column into; closed by {@link #closeScratch}.
   */
  FieldVector scratch(int column, FieldVector like) {
    if (scratch[column] == null) {
      scratch[column] = like.getField().createVector(like.getAllocator());
      scratch[column].allocateNew();
    }
    return scratch[column];
  }

  /** Frees the scratch vectors, which live in the memory of the chunk's root. */
  void closeScratch() {
    for (int c = 0; c < scratch.length; c++) {
      if (scratch[c] != null) {
        scratch[c].close();
        scratch[c] = null;
      }
    }
  }

  /**
   * Replaces the buffers of this chunk's columns in {@code root} with their first {@code
   * rows} values; the root's row count is the caller's to set.
   */
  void moveInto(VectorSchemaRoot root, int rows) {
    for (int c = 0; c < widths.length; c++) {
      int width = widths[c];
      if (width == IN_VECTOR) {
        continue;
      }
      FieldVector vector = root.getVector(c);
      if (width == VARIABLE) {
        BaseVariableWidthVector variable = (BaseVariableWidthVector) vector;
        variable.allocateNew(Math.max(dataEnds[c], 1), rows);
        variable.getOffsetBuffer().setBytes(0, offsets[c], 0, (rows + 1L) * OFFSET_BYTES);
        variable.getDataBuffer().setBytes(0, values[c], 0, dataEnds[c]);
        variable.setLastSet(rows - 1);
      } else {
        ((BaseFixedWidthVector) vector).allocateNew(rows);
        vector.getDataBuffer().setBytes(0, values[c], 0, (long) rows * width);
      }
      int bytes = validityBytes(rows);
      vector.getValidityBuffer().setBytes(0, validity[c], 0, bytes);
      int lastRowBits = rows & 7;
      if (lastRowBits != 0) {
        // Bits past the last row stay zero, as canonical batches require (ParsedRoot).
        int lastByte = bytes - 1;
        vector.getValidityBuffer().setByte(lastByte,
            validity[c][lastByte] & ((1 << lastRowBits) - 1));
      }
    }
  }

  private static byte[] allValid(int bytes) {
    byte[] bits = new byte[bytes];
    Arrays.fill(bits, ALL_VALID);
    return bits;
  }

  private static int validityBytes(int rows) {
    return BitVectorHelper.getValidityBufferSizeFromCount(rows);
  }
}
