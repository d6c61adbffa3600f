package dev.cairn.calcite.runtime;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Presents already decoded record batches as an {@link ArrowReader}, so they can be exported
 * through Arrow's C stream interface to DuckDB without copying them into IPC again. The roots
 * stay owned by the caller; each is unloaded (buffers shared, reference counted) into the
 * reader's own root in turn.
 */
final class ArrowRootsReader extends ArrowReader {
  private final Schema schema;
  private final List<VectorSchemaRoot> roots;
  private int next;
  private long bytesRead;

  ArrowRootsReader(BufferAllocator allocator, Schema schema, List<VectorSchemaRoot> roots) {
    super(allocator);
    this.schema = requireNonNull(schema, "schema");
    this.roots = List.copyOf(roots);
  }

  @Override
  public boolean loadNextBatch() throws java.io.IOException {
    prepareLoadNextBatch();
    if (next >= roots.size()) {
      return false;
    }
    ArrowRecordBatch batch = new VectorUnloader(roots.get(next++)).getRecordBatch();
    bytesRead += batch.computeBodyLength();
    loadRecordBatch(batch);
    return true;
  }

  @Override
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  protected void closeReadSource() {
    // The roots belong to the caller.
  }

  @Override
  protected Schema readSchema() {
    return schema;
  }
}
