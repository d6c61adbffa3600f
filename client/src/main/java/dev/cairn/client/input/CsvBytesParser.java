package dev.cairn.client.input;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.ByteArrayViews;
import dev.cairn.wire.batch.Utf8;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Parses a chunk of CSV bytes straight into Arrow vectors for the common shape of a file:
 * records ending at LF or CRLF, every value well formed, quoted fields (RFC 4180, as {@link
 * CsvTokenizer} reads them) allowed. It skips what {@link
 * CsvTokenizer} and {@link CsvRowWriter} cost per field (decoding UTF-8 into chars, a String per
 * field, encoding VARCHAR back to UTF-8): VARCHAR bytes are checked as UTF-8 and copied,
 * integers, plain decimals and ISO dates are read from the bytes, other types go through
 * {@link ColumnWriter} from an ASCII String.
 *
 * <p>It gives up on the whole chunk, returning -1, at the first thing it does not handle the
 * way the tokenizer path would: a lone CR outside quotes, a quote never closed or followed by
 * text, a wrong number of fields, a blank value in a NOT NULL column, a non-ASCII byte outside VARCHAR, invalid UTF-8,
 * a value that is not of its type. The caller then parses the chunk with the tokenizer, which
 * either reads it or names the error with its file line, so both paths accept the same files
 * and give the same vectors. Values of the types it reads from bytes are kept in {@link
 * ChunkColumns} until the chunk is read. Threads may share one parser: each parse takes arrays
 * of its own from a pool.
 */
final class CsvBytesParser {
  /** The largest long that still has room for one more decimal digit. */
  private static final int LONG_DIGITS_SAFE = 18;
  private static final long[] POWERS_OF_TEN = new long[LONG_DIGITS_SAFE + 1];
  private static final int DATE_BYTES = 10;
  private static final long LINE_FEEDS = ByteLanes.repeated((byte) '\n');
  private static final long CARRIAGE_RETURNS = ByteLanes.repeated((byte) '\r');

  static {
    long power = 1;
    for (int i = 0; i <= LONG_DIGITS_SAFE; i++) {
      POWERS_OF_TEN[i] = power;
      power *= 10;
    }
  }

  private final byte delimiter;
  private final long delimiters;
  private final ColumnType.Kind[] kinds;
  private final int[] precisions;
  private final int[] scales;
  private final boolean[] nullable;
  private final ColumnWriter[] textWriters;
  /** Per column: how {@link ChunkColumns} keeps it. */
  private final int[] widths;
  /** Arrays of chunks parsed before, at most one per thread parsing at once. */
  private final ConcurrentLinkedQueue<ChunkColumns> idleColumns = new ConcurrentLinkedQueue<>();

  /** Parses records of {@code schema} separated by the ASCII {@code delimiter}. */
  CsvBytesParser(TableSchema schema, char delimiter) {
    requireNonNull(schema, "schema");
    if (delimiter > 0x7f) {
      throw new IllegalArgumentException("needs an ASCII delimiter: " + delimiter);
    }
    this.delimiter = (byte) delimiter;
    this.delimiters = ByteLanes.repeated(this.delimiter);
    int columns = schema.size();
    kinds = new ColumnType.Kind[columns];
    precisions = new int[columns];
    scales = new int[columns];
    nullable = new boolean[columns];
    textWriters = new ColumnWriter[columns];
    widths = new int[columns];
    for (int c = 0; c < columns; c++) {
      ColumnType type = schema.column(c).type();
      kinds[c] = type.kind();
      if (type.kind() == ColumnType.Kind.DECIMAL) {
        precisions[c] = type.precision();
        scales[c] = type.scale();
      }
      nullable[c] = schema.column(c).nullable();
      textWriters[c] = ColumnWriter.of(type);
      widths[c] = switch (type.kind()) {
        case BIGINT, DOUBLE -> Long.BYTES;
        case INTEGER, DATE -> Integer.BYTES;
        case DECIMAL -> DecimalVector.TYPE_WIDTH;
        case VARCHAR -> ChunkColumns.VARIABLE;
        default -> ChunkColumns.IN_VECTOR;
      };
    }
  }

  /**
   * Writes the records of {@code bytes[0..length)} into {@code root} (allocated, of the schema),
   * skipping the first record when {@code skipHeader}; returns the rows written, or -1 when the
   * chunk must be parsed by the tokenizer instead (then {@code root} may hold partial rows).
   */
  int parse(byte[] bytes, int length, boolean skipHeader, VectorSchemaRoot root) {
    if (kinds.length == 0 || kinds.length > CsvTokenizer.FIELDS_MAX) {
      return -1;
    }
    ChunkColumns values = idleColumns.poll();
    if (values == null) {
      values = new ChunkColumns(widths);
    }
    try {
      values.clear();
      int rows = parse(bytes, length, skipHeader, root, values);
      if (rows > 0) {
        values.moveInto(root, rows);
      }
      return rows;
    } finally {
      values.closeScratch();
      idleColumns.offer(values);
    }
  }

  private int parse(byte[] bytes, int length, boolean skipHeader, VectorSchemaRoot root,
      ChunkColumns values) {
    int columns = kinds.length;
    FieldVector[] vectors = root.getFieldVectors().toArray(new FieldVector[0]);
    // One pass over the chunk, eight bytes at a time, spares every field its own check of
    // UTF-8 (VARCHAR) or of ASCII (the rest) in the usual all-ASCII file.
    boolean ascii = Utf8.isAscii(bytes, 0, length);
    int position = skipBlankLines(bytes, 0, length);
    if (skipHeader) {
      while (position < length && bytes[position] != '\n') {
        if (bytes[position] == '"') {
          return -1;
        }
        position++;
      }
      position = position < length ? position + 1 : length;
    }
    int rows = 0;
    try {
      while ((position = skipBlankLines(bytes, position, length)) < length) {
        int recordStart = position;
        values.startRow(rows);
        for (int c = 0; c < columns; c++) {
          boolean written;
          if (position < length && bytes[position] == '"') {
            int close = closingQuote(bytes, position + 1, length);
            if (close < 0) {
              return -1;
            }
            written = writeQuoted(c, vectors[c], values, rows, bytes, position + 1, close,
                ascii);
            position = close + 1;
            if (position < length && bytes[position] != delimiter && bytes[position] != '\n'
                && bytes[position] != '\r') {
              return -1; // text after a closing quote
            }
          } else {
            int start = position;
            position = fieldEnd(bytes, position, length);
            written = write(c, vectors[c], values, rows, bytes, start, position, false, ascii);
          }
          if (!written) {
            return -1;
          }
          boolean last = c == columns - 1;
          if (position == length) {
            if (!last) {
              return -1;
            }
          } else if (bytes[position] == delimiter) {
            if (last) {
              return -1;
            }
            position++;
          } else if (bytes[position] == '\n') {
            if (!last) {
              return -1;
            }
            position++;
          } else if (last && position + 1 < length && bytes[position + 1] == '\n') {
            position += 2;
          } else {
            return -1; // a lone CR is field text, which the tokenizer's path handles
          }
        }
        if (position - recordStart > CsvTokenizer.RECORD_CHARS_MAX) {
          return -1;
        }
        rows++;
      }
    } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
      return -1;
    }
    return rows;
  }

  /**
   * Returns the first delimiter, LF or CR at or after {@code from}, or {@code length}: eight
   * bytes a step while eight remain (a field is about eight bytes in common files), then one.
   */
  private int fieldEnd(byte[] bytes, int from, int length) {
    int i = from;
    for (; i <= length - Long.BYTES; i += Long.BYTES) {
      long word = (long) ByteArrayViews.LONG_LE.get(bytes, i);
      long ends = ByteLanes.matches(word, delimiters) | ByteLanes.matches(word, LINE_FEEDS)
          | ByteLanes.matches(word, CARRIAGE_RETURNS);
      if (ends != 0) {
        return i + (Long.numberOfTrailingZeros(ends) >>> 3);
      }
    }
    while (i < length && bytes[i] != delimiter && bytes[i] != '\n' && bytes[i] != '\r') {
      i++;
    }
    return i;
  }

  /** Skips empty lines (LF or CRLF) as the tokenizer does before a record. */
  private static int skipBlankLines(byte[] bytes, int position, int length) {
    while (position < length) {
      if (bytes[position] == '\n') {
        position++;
      } else if (bytes[position] == '\r' && position + 1 < length && bytes[position + 1] == '\n') {
        position += 2;
      } else {
        break;
      }
    }
    return position;
  }

  /**
   * Returns the index of the quote that closes a quoted field whose text starts at {@code
   * from} (a doubled quote is a quote in the text), or -1 if none does before {@code length}.
   */
  private static int closingQuote(byte[] bytes, int from, int length) {
    int i = from;
    while (true) {
      while (i < length && bytes[i] != '"') {
        i++;
      }
      if (i >= length) {
        return -1;
      }
      if (i + 1 < length && bytes[i + 1] == '"') {
        i += 2;
        continue;
      }
      return i;
    }
  }

  /** Writes the text of a quoted field, {@code bytes[from..close)}, doubled quotes undone. */
  private boolean writeQuoted(int c, FieldVector vector, ChunkColumns values, int row,
      byte[] bytes, int from, int close, boolean ascii) {
    int quotes = 0;
    for (int i = from; i < close; i++) {
      if (bytes[i] == '"') {
        quotes++;
      }
    }
    if (quotes == 0) {
      return write(c, vector, values, row, bytes, from, close, true, ascii);
    }
    byte[] text = new byte[close - from - quotes / 2];
    int at = 0;
    for (int i = from; i < close; i++) {
      text[at++] = bytes[i];
      if (bytes[i] == '"') {
        i++; // the second of a doubled quote
      }
    }
    return write(c, vector, values, row, text, 0, text.length, true, ascii);
  }

  /**
   * Writes one field's text; false when the tokenizer's path must decide about it. A quoted
   * empty field is the empty string in a VARCHAR column and NULL elsewhere, as in {@link
   * CsvRowWriter}. {@code ascii} says the whole chunk is ASCII, so the text needs no check.
   * Values of the types read from bytes go to {@code values}, the rest to {@code vector}.
   */
  private boolean write(int c, FieldVector vector, ChunkColumns values, int row, byte[] bytes,
      int start, int end, boolean quoted, boolean ascii) {
    if (start == end && quoted && kinds[c] == ColumnType.Kind.VARCHAR) {
      values.putBytes(c, row, bytes, start, 0);
      return true;
    }
    if (start == end) {
      if (!nullable[c]) {
        return false;
      }
      if (widths[c] == ChunkColumns.IN_VECTOR) {
        vector.setNull(row);
      } else {
        values.putNull(c, row);
      }
      return true;
    }
    ColumnType.Kind kind = kinds[c];
    if (kind == ColumnType.Kind.VARCHAR) {
      if (!ascii && !Utf8.isValid(bytes, start, end)) {
        return false;
      }
      values.putBytes(c, row, bytes, start, end - start);
      return true;
    }
    if (!ascii && !Utf8.isAscii(bytes, start, end)) {
      return false;
    }
    // Trimmed as String.trim trims: every byte up to and including a space.
    int from = start;
    int to = end;
    while (from < to && bytes[from] <= ' ') {
      from++;
    }
    while (to > from && bytes[to - 1] <= ' ') {
      to--;
    }
    switch (kind) {
      case BIGINT -> {
        long value = integer(bytes, from, to);
        if (value != NOT_READ) {
          values.putLong(c, row, value);
          return true;
        }
      }
      case INTEGER -> {
        long value = integer(bytes, from, to);
        if (value != NOT_READ && value == (int) value) {
          values.putInt(c, row, (int) value);
          return true;
        }
      }
      case DOUBLE -> {
        double value = PlainDecimals.parse(bytes, from, to);
        if (!Double.isNaN(value)) {
          values.putLong(c, row, Double.doubleToRawLongBits(value));
          return true;
        }
      }
      case DECIMAL -> {
        long unscaled = unscaledDecimal(bytes, from, to, precisions[c], scales[c]);
        if (unscaled != NOT_READ) {
          values.putDecimal(c, row, unscaled);
          return true;
        }
      }
      case DATE -> {
        if (to - from == DATE_BYTES && bytes[from + 4] == '-' && bytes[from + 7] == '-') {
          int year = digits(bytes, from, from + 4);
          int month = digits(bytes, from + 5, from + 7);
          int day = digits(bytes, from + 8, from + 10);
          int epochDay = year >= 0 && month >= 0 && day >= 0
              ? IsoDates.epochDay(year, month, day) : IsoDates.NOT_A_DATE;
          if (epochDay != IsoDates.NOT_A_DATE) {
            values.putInt(c, row, epochDay);
            return true;
          }
        }
      }
      default -> {
        // Read from text below.
      }
    }
    // The exact rules of the tokenizer's path, on the same (ASCII) text; a bad value throws.
    String text = new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    if (widths[c] == ChunkColumns.IN_VECTOR) {
      textWriters[c].set(vector, row, text);
    } else {
      FieldVector scratch = values.scratch(c, vector);
      textWriters[c].set(scratch, 0, text);
      values.putFromVector(c, row, scratch);
    }
    return true;
  }

  /** Marks a value these fast readers leave to the text path (never a value they return). */
  private static final long NOT_READ = Long.MIN_VALUE;

  /** An optional sign and 1 to 18 digits, as {@link Long#parseLong} reads it, else NOT_READ. */
  private static long integer(byte[] bytes, int from, int to) {
    boolean negative = false;
    if (from < to && (bytes[from] == '-' || bytes[from] == '+')) {
      negative = bytes[from] == '-';
      from++;
    }
    int count = to - from;
    if (count < 1 || count > LONG_DIGITS_SAFE) {
      return NOT_READ;
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        return NOT_READ;
      }
      value = value * 10 + digit;
    }
    return negative ? -value : value;
  }

  /**
   * The unscaled value at {@code scale} of a plain decimal ({@code [+-]digits[.digits]}) with
   * at most {@code scale} fraction digits and room in a long, within {@code precision}; else
   * NOT_READ, and {@link java.math.BigDecimal} decides (trailing zeros, exponents, errors).
   */
  private static long unscaledDecimal(byte[] bytes, int from, int to, int precision,
      int scale) {
    boolean negative = false;
    if (from < to && (bytes[from] == '-' || bytes[from] == '+')) {
      negative = bytes[from] == '-';
      from++;
    }
    long mantissa = 0;
    int digits = 0;
    int fractionDigits = -1;
    for (int i = from; i < to; i++) {
      int b = bytes[i];
      if (b >= '0' && b <= '9') {
        mantissa = mantissa * 10 + (b - '0');
        if (++digits > LONG_DIGITS_SAFE) {
          return NOT_READ;
        }
        if (fractionDigits >= 0) {
          fractionDigits++;
        }
      } else if (b == '.' && fractionDigits < 0) {
        fractionDigits = 0;
      } else {
        return NOT_READ;
      }
    }
    int fraction = Math.max(fractionDigits, 0);
    if (digits == 0 || fraction > scale || digits + scale - fraction > LONG_DIGITS_SAFE) {
      return NOT_READ;
    }
    long unscaled = mantissa * POWERS_OF_TEN[scale - fraction];
    if (unscaled >= POWERS_OF_TEN[Math.min(precision, LONG_DIGITS_SAFE)]) {
      return NOT_READ;
    }
    return negative ? -unscaled : unscaled;
  }

  /** The value of ASCII digits, or -1 if one is not a digit. */
  private static int digits(byte[] bytes, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }
}
