package dev.cairn.wire.batch;

import dev.cairn.wire.TableSchema;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The record batches of one decoded blob, in stream order. Owns their memory: close it (or
 * each root taken over with {@link #takeRoots()}) when done.
 */
public final class DecodedBatch implements AutoCloseable {
  private final TableSchema schema;
  private List<VectorSchemaRoot> roots;

  DecodedBatch(TableSchema schema, List<VectorSchemaRoot> roots) {
    this.schema = schema;
    this.roots = List.copyOf(roots);
  }

  public TableSchema schema() {
    return schema;
  }

  /** Returns the record batches; they stay owned by this object. */
  public List<VectorSchemaRoot> roots() {
    return roots;
  }

  /** Hands the roots to the caller, who must close them; this object then owns nothing. */
  public List<VectorSchemaRoot> takeRoots() {
    List<VectorSchemaRoot> taken = roots;
    roots = List.of();
    return taken;
  }

  /** Returns the total row count over all record batches. */
  public long rowCount() {
    long rows = 0;
    for (VectorSchemaRoot root : roots) {
      rows += root.getRowCount();
    }
    return rows;
  }

  @Override
  public void close() {
    for (VectorSchemaRoot root : roots) {
      root.close();
    }
    roots = List.of();
  }
}
