package dev.cairn.client.input;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Streams a UTF-8 CSV file with a header line into Arrow batches of about a target size.
 *
 * <p>With an explicit schema the header must name the same columns in the same order (case
 * ignored), which catches a file whose columns moved. Without one, types are inferred from the
 * first {@link CsvOptions#sampleRows()} records ({@link TypeInference}); those records are kept
 * and then written like the rest, so the file is read once and may be a pipe. Only the sample
 * and one batch are ever in memory. Values go straight into vectors ({@link ColumnWriter}).
 *
 * <p>Every bad value is BAD_FORMAT naming the line and column, e.g. {@code line 17, column
 * price: 'abc' is not a DECIMAL(15,2)}. An unquoted empty field is NULL (an error for a NOT
 * NULL column); a quoted empty field is the empty string in a VARCHAR column.
 */
public final class CsvReader implements TableInput {
  private static final int INPUT_BUFFER_BYTES = 1 << 20;

  private record Row(long line, List<String> fields) {}

  private final CountingInputStream counter;
  private final Utf8LineReader text;
  private final CsvTokenizer tokenizer;
  private final BufferAllocator allocator;
  private final TableSchema schema;
  private final CsvRowWriter rowWriter;
  private final Deque<Row> sample = new ArrayDeque<>();
  private final long validityBytesPerEightRows;

  /** Opens {@code file}; the reader owns the stream and closes it. */
  public static CsvReader open(Path file, CsvOptions options, BufferAllocator allocator) {
    try {
      return new CsvReader(Files.newInputStream(file), options, allocator);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e, e);
    }
  }

  /** Reads CSV from {@code input}, which this reader closes. */
  public CsvReader(InputStream input, CsvOptions options, BufferAllocator allocator) {
    requireNonNull(options, "options");
    this.allocator = requireNonNull(allocator, "allocator");
    counter = new CountingInputStream(new BufferedInputStream(input, INPUT_BUFFER_BYTES));
    text = new Utf8LineReader(counter);
    tokenizer = new CsvTokenizer(text, options.delimiter());
    String inferredNote;
    try {
      List<String> header = readHeader(readRecord());
      if (options.schema() != null) {
        schema = options.schema();
        checkHeader(header, schema);
        inferredNote = "";
      } else {
        schema = inferSchema(header, options.sampleRows());
        inferredNote = inferredNote(options);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    rowWriter = new CsvRowWriter(schema, inferredNote);
    validityBytesPerEightRows = rowWriter.validityBytesPerEightRows();
  }

  @Override
  public TableSchema schema() {
    return schema;
  }

  @Override
  public long bytesRead() {
    return counter.count();
  }

  @Override
  public List<VectorSchemaRoot> next(long targetBytes) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema.toArrow(), allocator);
    try {
      root.allocateNew();
      int rows = 0;
      long bytes = 0;
      Row row;
      while (bytes < targetBytes && (row = nextRow()) != null) {
        bytes += rowWriter.write(root, rows, row.line(), row.fields());
        rows++;
        if ((rows & 7) == 0) {
          bytes += validityBytesPerEightRows;
        }
      }
      if (rows == 0) {
        root.close();
        return null;
      }
      root.setRowCount(rows);
      return List.of(root);
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  private Row nextRow() {
    if (!sample.isEmpty()) {
      return sample.poll();
    }
    List<String> fields = readRecord();
    return fields == null ? null : new Row(tokenizer.recordLine(), fields);
  }

  private List<String> readRecord() {
    try {
      return tokenizer.next();
    } catch (Utf8LineReader.MalformedLineException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "input is not UTF-8: line " + e.line()
          + " has a byte sequence that is not valid UTF-8");
    } catch (CharacterCodingException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "input is not UTF-8 (at or after line "
          + tokenizer.line() + ")");
    } catch (IOException e) {
      throw new CairnException(ErrorCode.IO_ERROR, "reading CSV failed: " + e, e);
    }
  }

  /** Returns what follows every bad-value message when types were inferred. */
  static String inferredNote(CsvOptions options) {
    return " (type inferred from the first " + options.sampleRows()
        + " rows; give an explicit schema to change it)";
  }

  /** Returns the header's column names, trimmed, a leading byte order mark dropped. */
  static List<String> readHeader(List<String> header) {
    if (header == null) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "CSV input is empty: no header line");
    }
    List<String> names = new ArrayList<>(header.size());
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i) == null ? "" : header.get(i).trim();
      if (i == 0 && name.startsWith("\uFEFF")) {
        name = name.substring(1);
      }
      if (name.isEmpty()) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "line 1: header column " + (i + 1)
            + " has no name");
      }
      names.add(name);
    }
    return names;
  }

  static void checkHeader(List<String> header, TableSchema schema) {
    List<String> expected = new ArrayList<>();
    schema.columns().forEach(c -> expected.add(c.name().toLowerCase(Locale.ROOT)));
    List<String> actual = new ArrayList<>();
    header.forEach(h -> actual.add(h.toLowerCase(Locale.ROOT)));
    if (!expected.equals(actual)) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "line 1: header " + header
          + " does not match the schema's columns " + expected);
    }
  }

  private TableSchema inferSchema(List<String> header, int sampleRows) {
    TypeInference inference = new TypeInference(header);
    while (sample.size() < sampleRows) {
      List<String> fields = readRecord();
      if (fields == null) {
        break;
      }
      Row row = new Row(tokenizer.recordLine(), fields);
      if (fields.size() != header.size()) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "line " + row.line() + ": "
            + fields.size() + " fields, expected " + header.size());
      }
      inference.add(fields);
      sample.add(row);
    }
    return inference.schema();
  }

  @Override
  public void close() {
    try {
      text.close();
    } catch (IOException e) {
      // Nothing was written; a failed close of an input loses nothing.
    }
  }
}
