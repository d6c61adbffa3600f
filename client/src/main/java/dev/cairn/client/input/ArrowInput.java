package dev.cairn.client.input;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.CairnCompressionFactory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads an Arrow IPC file ({@code ARROW1} magic) or stream as table input. The Arrow schema
 * must map to Cairn types ({@link TableSchema#fromArrow}); its record batches are re-cut into
 * groups of about the target size by slicing (transfer, no row-by-row copy) into vectors of
 * the canonical schema, so field metadata of the input never reaches a blob.
 */
public final class ArrowInput implements TableInput {
  private static final byte[] FILE_MAGIC = {'A', 'R', 'R', 'O', 'W', '1'};

  private final ArrowReader reader;
  private final AutoCloseable source;
  private final LongSupplier position;
  private final BufferAllocator allocator;
  private final TableSchema schema;
  private final List<Field> canonicalFields;
  /** Per column, whether the input holds a UUID as text that {@link #slice} converts. */
  private final boolean[] uuidText;
  /** What the input is called in errors: its file. */
  private final String label;
  private int cursor;
  private boolean loaded;

  private ArrowInput(ArrowReader reader, AutoCloseable source, LongSupplier position,
      BufferAllocator allocator, String label, Set<String> uuidTextColumns) throws IOException {
    this.reader = reader;
    this.source = source;
    this.position = position;
    this.allocator = allocator;
    this.label = label;
    TableSchema read = schemaOf(reader.getVectorSchemaRoot().getSchema(), label);
    this.uuidText = new boolean[read.size()];
    List<Column> columns = new ArrayList<>(read.size());
    for (int c = 0; c < read.size(); c++) {
      Column column = read.column(c);
      uuidText[c] = column.type().equals(ColumnType.VARCHAR)
          && uuidTextColumns.contains(column.name());
      columns.add(uuidText[c] ? new Column(column.name(), ColumnType.UUID, column.nullable())
          : column);
    }
    this.schema = new TableSchema(columns);
    this.canonicalFields = schema.toArrow().getFields();
  }

  /**
   * Reads the batches of {@code reader} (closed with {@code source}, both by {@link #close}) as
   * table input; {@code position} tells the input bytes consumed, {@code label} names the
   * input in errors. Any Arrow producer works, e.g. DuckDB's {@code arrowExportStream}.
   */
  public static ArrowInput of(ArrowReader reader, AutoCloseable source, LongSupplier position,
      BufferAllocator allocator, String label) {
    return of(reader, source, position, allocator, label, Set.of());
  }

  /**
   * As {@link #of(ArrowReader, AutoCloseable, LongSupplier, BufferAllocator, String)}, where the
   * Utf8 columns named in {@code uuidTextColumns} hold UUIDs as text (DuckDB exports its UUIDs
   * so) and become UUID columns, each value parsed; a value that is not a UUID is BAD_FORMAT.
   */
  public static ArrowInput of(ArrowReader reader, AutoCloseable source, LongSupplier position,
      BufferAllocator allocator, String label, Set<String> uuidTextColumns) {
    try {
      return new ArrowInput(reader, source, position, allocator, label, uuidTextColumns);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, label + ": reading the Arrow schema "
          + "failed: " + e.getMessage(), e);
    }
  }

  /**
   * Returns the Cairn schema of an Arrow one ({@link TableSchema#fromArrow}, the one mapping);
   * a column whose type has no Cairn type fails with BAD_FORMAT naming the input, the column
   * and its type.
   */
  public static TableSchema schemaOf(Schema arrow, String label) {
    try {
      return TableSchema.fromArrow(arrow);
    } catch (CairnException e) {
      for (Field field : arrow.getFields()) {
        try {
          TableSchema.fromArrow(new Schema(List.of(field)));
        } catch (CairnException bad) {
          throw new CairnException(ErrorCode.BAD_FORMAT, label + ": column '" + field.getName()
              + "' has type " + field.getType() + ", which has no Cairn type (" + bad.detail()
              + ")", bad);
        }
      }
      throw new CairnException(e.code(), label + ": " + e.detail(), e);
    }
  }

  /** Opens {@code file}, as an IPC file if it starts with the file magic, else as a stream. */
  public static ArrowInput open(Path file, BufferAllocator allocator) {
    requireNonNull(allocator, "allocator");
    try {
      if (startsWithMagic(file)) {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
          ArrowFileReader reader = new ArrowFileReader(channel, allocator,
              CairnCompressionFactory.INSTANCE);
          return new ArrowInput(reader, channel, () -> position(channel), allocator,
              file.toString(), Set.of());
        } catch (IOException | RuntimeException e) {
          channel.close();
          throw e;
        }
      }
      CountingInputStream counter = new CountingInputStream(
          new BufferedInputStream(Files.newInputStream(file)));
      try {
        ArrowStreamReader reader = new ArrowStreamReader(counter, allocator,
            CairnCompressionFactory.INSTANCE);
        return new ArrowInput(reader, counter, counter::count, allocator, file.toString(),
            Set.of());
      } catch (IOException | RuntimeException e) {
        counter.close();
        throw e;
      }
    } catch (CairnException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, file + " is not a readable Arrow IPC "
          + "file or stream: " + e.getMessage(), e);
    }
  }

  private static boolean startsWithMagic(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(FILE_MAGIC.length), FILE_MAGIC);
    }
  }

  private static long position(FileChannel channel) {
    try {
      return channel.position();
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public TableSchema schema() {
    return schema;
  }

  @Override
  public long bytesRead() {
    return position.getAsLong();
  }

  @Override
  public List<VectorSchemaRoot> next(long targetBytes) {
    List<VectorSchemaRoot> group = new ArrayList<>();
    long bytes = 0;
    try {
      while (bytes < targetBytes) {
        VectorSchemaRoot current = current();
        if (current == null) {
          break;
        }
        int remaining = current.getRowCount() - cursor;
        long bytesPerRow = Math.max(1, bufferBytes(current) / Math.max(1,
            current.getRowCount()));
        long wanted = (targetBytes - bytes + bytesPerRow - 1) / bytesPerRow;
        int rows = (int) Math.min(remaining, Math.max(1, wanted));
        group.add(slice(current, cursor, rows));
        cursor += rows;
        bytes += rows * bytesPerRow;
      }
    } catch (RuntimeException e) {
      group.forEach(VectorSchemaRoot::close);
      throw e;
    }
    return group.isEmpty() ? null : group;
  }

  /** Returns the loaded batch with rows left, loading the next as needed; null at the end. */
  private VectorSchemaRoot current() {
    try {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      while (!loaded || cursor >= root.getRowCount()) {
        if (!reader.loadNextBatch()) {
          return null;
        }
        loaded = true;
        cursor = 0;
      }
      return root;
    } catch (IOException | RuntimeException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, label + ": reading a record batch failed: "
          + e.getMessage(), e);
    }
  }

  private static long bufferBytes(VectorSchemaRoot root) {
    long bytes = 0;
    for (FieldVector vector : root.getFieldVectors()) {
      bytes += vector.getBufferSize();
    }
    return bytes;
  }

  private VectorSchemaRoot slice(VectorSchemaRoot from, int start, int rows) {
    List<FieldVector> vectors = new ArrayList<>(canonicalFields.size());
    try {
      for (int c = 0; c < canonicalFields.size(); c++) {
        FieldVector target = canonicalFields.get(c).createVector(allocator);
        vectors.add(target);
        if (uuidText[c]) {
          UuidTextVectors.parse((VarCharVector) from.getVector(c), start, rows,
              (FixedSizeBinaryVector) target, label);
        } else {
          from.getVector(c).makeTransferPair(target).splitAndTransfer(start, rows);
        }
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return new VectorSchemaRoot(canonicalFields, vectors, rows);
  }

  @Override
  public void close() {
    try {
      reader.close();
      source.close();
    } catch (Exception e) {
      // An input's close loses nothing.
    }
  }
}
