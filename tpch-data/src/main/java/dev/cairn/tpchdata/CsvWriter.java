package dev.cairn.tpchdata;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.List;

/**
 * Writes RFC 4180 CSV: ',' between fields, CRLF after each record, and a field in double quotes
 * (inner quotes doubled) only when it holds a comma, quote, CR or LF. Decimals are written plain
 * (never in exponent form), dates as yyyy-MM-dd.
 */
final class CsvWriter {
  /** The record separator RFC 4180 prescribes. */
  static final String RECORD_END = "\r\n";

  private final Writer out;

  CsvWriter(Writer out) {
    this.out = requireNonNull(out, "out");
  }

  /** Writes one record of values: Strings, numbers, BigDecimals or LocalDates. */
  void writeRecord(List<?> values) throws IOException {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      writeField(format(values.get(i)));
    }
    out.write(RECORD_END);
  }

  private static String format(Object value) {
    if (value instanceof BigDecimal) {
      return ((BigDecimal) value).toPlainString();
    }
    // LocalDate.toString is ISO yyyy-MM-dd for every TPC-H date; Long and Integer are plain.
    return String.valueOf(requireNonNull(value, "TPC-H values are never null"));
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
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == ',' || c == '"' || c == '\r' || c == '\n') {
        return true;
      }
    }
    return false;
  }
}
