package dev.cairn.client.input;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits RFC 4180 text into records, one at a time, from a {@link Reader} it buffers itself.
 *
 * <p>Fields are separated by the delimiter; a field that starts with a double quote runs to
 * the matching quote and may contain delimiters, line breaks and doubled quotes ({@code ""}
 * for one quote). Records end at LF or CRLF. Blank lines are skipped. An unquoted empty field
 * is returned as {@code null} (SQL NULL); a quoted empty field ({@code ""}) as the empty string,
 * so a VARCHAR can tell the two apart. Text after a closing quote, or a quote left open at the
 * end of the input, is BAD_FORMAT naming the line. Records and fields are bounded so that a
 * file without line breaks cannot exhaust memory.
 */
public final class CsvTokenizer {
  /** Longest record, in characters: far beyond any sane row, well inside the heap. */
  public static final int RECORD_CHARS_MAX = 64 * 1024 * 1024;
  /** Most fields in one record. */
  public static final int FIELDS_MAX = 4096;
  private static final int BUFFER_CHARS = 64 * 1024;
  private static final char QUOTE = '"';

  private final Reader reader;
  private final char delimiter;
  private final char[] buffer = new char[BUFFER_CHARS];
  private int position;
  private int limit;
  private boolean eof;
  private long line = 1;
  private long recordLine;
  private final StringBuilder field = new StringBuilder();
  private int recordChars;
  private int lastFieldCount = 10;

  public CsvTokenizer(Reader reader, char delimiter) {
    this(reader, delimiter, 1);
  }

  /**
   * Splits text that starts on line {@code firstLine} of its file (a chunk cut at a record
   * boundary), so that lines in errors are the file's.
   */
  public CsvTokenizer(Reader reader, char delimiter, long firstLine) {
    this.reader = requireNonNull(reader, "reader");
    this.line = firstLine;
    if (delimiter == QUOTE || delimiter == '\n' || delimiter == '\r') {
      throw new CairnException(ErrorCode.BAD_FORMAT, "delimiter cannot be a quote or newline");
    }
    this.delimiter = delimiter;
  }

  /** Returns the 1-based line the tokenizer is reading. */
  public long line() {
    return line;
  }

  /** Returns the 1-based line the last record returned started on. */
  public long recordLine() {
    return recordLine;
  }

  /** Returns the next record's fields, or null at the end of the input. */
  public List<String> next() throws IOException {
    while (true) {
      int c = peek();
      if (c < 0) {
        return null;
      }
      if (c == '\n') {
        position++;
        line++;
      } else if (c == '\r' && peekAfterCr()) {
        position += 2;
        line++;
      } else {
        break;
      }
    }
    recordLine = line;
    recordChars = 0;
    // Sized like the last record, so a wide file's rows do not regrow the list every time.
    List<String> fields = new ArrayList<>(lastFieldCount);
    while (true) {
      if (fields.size() == FIELDS_MAX) {
        throw bad("has more than " + FIELDS_MAX + " fields");
      }
      boolean endOfRecord = readField(fields);
      if (endOfRecord) {
        lastFieldCount = fields.size();
        return fields;
      }
    }
  }

  /** Reads one field into {@code fields}; returns true if the record ended after it. */
  private boolean readField(List<String> fields) throws IOException {
    field.setLength(0);
    int c = peek();
    if (c == QUOTE) {
      position++;
      readQuoted();
      fields.add(field.toString());
      return endAfterField(read());
    }
    Boolean ended = readUnquotedInBuffer(fields);
    if (ended != null) {
      return ended;
    }
    while (true) {
      c = read();
      if (c < 0 || c == '\n' || c == delimiter || (c == '\r' && atLineFeed())) {
        fields.add(field.length() == 0 ? null : field.toString());
        return endAfterField(c);
      }
      append((char) c);
    }
  }

  /**
   * The common case, an unquoted field that ends inside the buffered text at a delimiter or
   * line feed or CRLF: takes it as one String straight from the buffer and returns whether the
   * record ended. Otherwise (a lone carriage return, or the buffer ends first) moves what it
   * scanned into {@link #field} and returns null for the character loop to go on, so the two
   * paths accept exactly the same text.
   */
  private Boolean readUnquotedInBuffer(List<String> fields) {
    int start = position;
    int end = start;
    while (end < limit) {
      char c = buffer[end];
      if (c == delimiter || c == '\n' || c == '\r') {
        break;
      }
      end++;
    }
    int length = end - start;
    recordChars += length;
    if (recordChars > RECORD_CHARS_MAX) {
      throw bad("is longer than " + RECORD_CHARS_MAX + " characters");
    }
    boolean crLf = end + 1 < limit && buffer[end] == '\r' && buffer[end + 1] == '\n';
    if (end == limit || (buffer[end] == '\r' && !crLf)) {
      field.append(buffer, start, length);
      position = end;
      return null;
    }
    fields.add(length == 0 ? null : new String(buffer, start, length));
    if (buffer[end] == delimiter) {
      position = end + 1;
      return Boolean.FALSE;
    }
    position = crLf ? end + 2 : end + 1;
    line++;
    return Boolean.TRUE;
  }

  private void readQuoted() throws IOException {
    long startLine = line;
    while (true) {
      int c = read();
      if (c < 0) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "line " + startLine
            + ": quoted field is never closed");
      }
      if (c == QUOTE) {
        if (peek() == QUOTE) {
          position++;
          append(QUOTE);
          continue;
        }
        return;
      }
      if (c == '\n') {
        line++;
      }
      append((char) c);
    }
  }

  private boolean endAfterField(int c) throws IOException {
    if (c == delimiter) {
      return false;
    }
    if (c == '\r' && peek() == '\n') {
      position++;
    }
    if (c < 0 || c == '\n' || c == '\r') {
      if (c >= 0) {
        line++;
      }
      return true;
    }
    throw bad("has text after a closing quote");
  }

  private boolean atLineFeed() throws IOException {
    return peek() == '\n';
  }

  private boolean peekAfterCr() throws IOException {
    if (position + 1 >= limit) {
      fillKeeping();
    }
    return position + 1 < limit && buffer[position + 1] == '\n';
  }

  private void append(char c) {
    if (++recordChars > RECORD_CHARS_MAX) {
      throw bad("is longer than " + RECORD_CHARS_MAX + " characters");
    }
    field.append(c);
  }

  private int peek() throws IOException {
    if (position >= limit && !fill()) {
      return -1;
    }
    return buffer[position];
  }

  private int read() throws IOException {
    if (position >= limit && !fill()) {
      return -1;
    }
    return buffer[position++];
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int n = reader.read(buffer, 0, buffer.length);
    if (n < 0) {
      eof = true;
      limit = 0;
      position = 0;
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  /** Moves the unread characters to the front and reads more after them. */
  private void fillKeeping() throws IOException {
    if (eof) {
      return;
    }
    int kept = limit - position;
    System.arraycopy(buffer, position, buffer, 0, kept);
    position = 0;
    limit = kept;
    int n = reader.read(buffer, kept, buffer.length - kept);
    if (n < 0) {
      eof = kept == 0;
    } else {
      limit += n;
    }
  }

  private CairnException bad(String detail) {
    return new CairnException(ErrorCode.BAD_FORMAT, "line " + recordLine + ": record " + detail);
  }
}
