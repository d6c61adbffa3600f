package dev.cairn.tpchdata;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.List;

/**
 * Writes RFC 4180 CSV: ',' between fields, CRLF after each record, and a field in double quotes
 * (inner quotes doubled) only when it holds a comma, quote, CR or LF, is empty, or starts or
 * ends with a blank. Decimals are written plain (never in exponent form), dates as yyyy-MM-dd.
 *
 * <p>NULL and the empty string stay apart: a null value is an empty unquoted field, the empty
 * string a quoted one ({@code ""}), which is how Cairn's CSV reader (and DuckDB's with {@code
 * ALLOW_QUOTED_NULLS false}) tell them apart. Blanks at either end are quoted so that no reader
 * that trims unquoted fields can lose them.
 */
public final class CsvWriter {
  /** The record separator RFC 4180 prescribes. */
  static final String RECORD_END = "\r\n";

  private final Writer out;

  /** Returns a writer of records to {@code out}; the caller closes {@code out}. */
  public CsvWriter(Writer out) {
    this.out = requireNonNull(out, "out");
  }

  /** Writes one record of values: Strings, numbers, BigDecimals, LocalDates or null (NULL). */
  public void writeRecord(List<?> values) throws IOException {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      Object value = values.get(i);
      if (value != null) {
        writeField(format(value));
      }
    }
    out.write(RECORD_END);
  }

  private static String format(Object value) {
    if (value instanceof BigDecimal) {
      return ((BigDecimal) value).toPlainString();
    }
    // LocalDate.toString is ISO yyyy-MM-dd for every TPC-H date; Long and Integer are plain.
    return value.toString();
  }

  private void writeField(String field) throws IOException {
    if (!needsQuotes(field)) {
      out.write(field);
      return;
    }
    out.write('"');
    out.write(field.replace("\"", "\"\""));
    out.write('"');
  }

  private static boolean needsQuotes(String field) {
    if (field.isEmpty() || isBlank(field.charAt(0)) || isBlank(field.charAt(field.length() - 1))) {
      return true;
    }
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == ',' || c == '"' || c == '\r' || c == '\n') {
        return true;
      }
    }
    return false;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
