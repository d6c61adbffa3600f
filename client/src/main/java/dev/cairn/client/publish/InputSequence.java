package dev.cairn.client.publish;

import dev.cairn.client.input.CsvOptions;
import dev.cairn.client.input.Inputs;
import dev.cairn.client.input.TableInput;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The input files of one publish read one after another as a single table. The first file
 * fixes the schema (given, the head's, or inferred); CSV files after it are read with that
 * schema, and every file must have it, else BAD_FORMAT naming the file. Owns the Arrow memory
 * of the publish: close it only after every group it handed out was closed.
 */
final class InputSequence implements TableInput {
  private final List<Path> files;
  private final BufferAllocator allocator = new RootAllocator();
  private final CsvOptions csv;
  private final TableSchema schema;
  private final int csvChunkBytes;
  private TableInput current;
  private int index;
  private long finishedBytes;

  /**
   * Opens the first file; {@code schema} is the schema CSV input must have, or null; CSV files
   * are read in groups of about {@code csvChunkBytes} of text, decoded by the caller's workers.
   */
  InputSequence(List<Path> files, char delimiter, TableSchema schema, int csvChunkBytes) {
    this.files = List.copyOf(files);
    this.csvChunkBytes = csvChunkBytes;
    try {
      current = Inputs.openForParallelDecode(files.get(0), new CsvOptions(delimiter, schema,
          CsvOptions.SAMPLE_ROWS_DEFAULT), allocator, csvChunkBytes);
    } catch (RuntimeException e) {
      allocator.close();
      throw e;
    }
    this.schema = current.schema();
    this.csv = new CsvOptions(delimiter, this.schema, CsvOptions.SAMPLE_ROWS_DEFAULT);
  }

  BufferAllocator allocator() {
    return allocator;
  }

  @Override
  public TableSchema schema() {
    return schema;
  }

  @Override
  public List<VectorSchemaRoot> next(long targetBytes) {
    while (true) {
      DeferredGroup group = nextDeferred(targetBytes);
      if (group == null) {
        return null;
      }
      List<VectorSchemaRoot> roots = group.decode();
      if (!roots.isEmpty()) {
        return roots;
      }
    }
  }

  @Override
  public DeferredGroup nextDeferred(long targetBytes) {
    while (current != null) {
      DeferredGroup group = current.nextDeferred(targetBytes);
      if (group != null) {
        return group;
      }
      finishedBytes += current.bytesRead();
      current.close();
      current = null;
      if (++index < files.size()) {
        current = Inputs.openForParallelDecode(files.get(index), csv, allocator, csvChunkBytes);
        String difference = SchemaDiff.describe(schema, current.schema());
        if (difference != null) {
          throw new CairnException(ErrorCode.BAD_FORMAT, files.get(index)
              + " does not match the schema of " + files.get(0) + ": " + difference);
        }
      }
    }
    return null;
  }

  @Override
  public long bytesRead() {
    TableInput reading = current;
    return finishedBytes + (reading == null ? 0 : reading.bytesRead());
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
      current = null;
    }
    allocator.close();
  }
}
