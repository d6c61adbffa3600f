package dev.cairn.client.publish;

import dev.cairn.client.input.InputOpener;
import dev.cairn.client.input.TableInput;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.RecyclingMemory;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The input files of one publish read one after another as a single table, each opened by
 * the publish's {@link InputOpener}. The first file fixes the schema (given, the head's, or
 * inferred); files after it are read with that schema, and every file must have it, else
 * BAD_FORMAT naming the file. Owns the Arrow memory
 * of the publish: close it only after every group it handed out was closed.
 */
final class InputSequence implements TableInput {
  private final List<Path> files;
  /**
   * Most free native memory kept for the next batches: a few batches' worth at the default
   * batch target (each batch's parsed columns, canonical copy and compressed buffers).
   */
  static final long RECYCLED_BYTES_MAX = 256L << 20;

  private final BufferAllocator allocator =
      new RecyclingMemory(RECYCLED_BYTES_MAX).newRootAllocator();
  private final InputOpener opener;
  private final TableSchema schema;
  private final int csvChunkBytes;
  private TableInput current;
  private int index;
  private long finishedBytes;

  /**
   * Opens the first file; {@code schema} is the schema CSV input must have, or null; CSV files
   * are read in groups of about {@code csvChunkBytes} of text, decoded by the caller's workers.
   */
  InputSequence(List<Path> files, InputOpener opener, TableSchema schema, int csvChunkBytes) {
    this.files = List.copyOf(files);
    this.opener = opener;
    this.csvChunkBytes = csvChunkBytes;
    try {
      current = open(files.get(0), schema);
    } catch (RuntimeException e) {
      allocator.close();
      throw e;
    }
    this.schema = current.schema();
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
    return TableInput.nextDecoded(this, targetBytes);
  }

  @Override
  public DeferredGroup nextDeferred(long targetBytes) {
    while (current != null) {
      Path file = files.get(index);
      DeferredGroup group;
      try {
        group = current.nextDeferred(targetBytes);
      } catch (CairnException e) {
        throw named(file, e);
      }
      if (group != null) {
        return new DeferredGroup() {
          @Override
          public List<VectorSchemaRoot> decode() {
            try {
              return group.decode();
            } catch (CairnException e) {
              throw named(file, e);
            }
          }

          @Override
          public void discard() {
            group.discard();
          }
        };
      }
      finishedBytes += current.bytesRead();
      current.close();
      current = null;
      if (++index < files.size()) {
        current = open(files.get(index), schema);
        String difference = SchemaDiff.describe(schema, current.schema());
        if (difference != null) {
          throw new CairnException(ErrorCode.BAD_FORMAT, files.get(index)
              + " does not match the schema of " + files.get(0) + ": " + difference);
        }
      }
    }
    return null;
  }

  private TableInput open(Path file, TableSchema expected) {
    try {
      return opener.open(file, expected, allocator, csvChunkBytes);
    } catch (CairnException e) {
      throw named(file, e);
    }
  }

  /** Returns {@code e} with the file it is about named first, as every input error is. */
  private static CairnException named(Path file, CairnException e) {
    String detail = e.detail();
    return detail.contains(file.toString()) ? e
        : new CairnException(e.code(), file + ": " + detail, e);
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
