package dev.cairn.wire.batch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.MetadataVersion;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes batch blobs: one Arrow IPC stream (schema message, one record batch per input root,
 * end-of-stream marker) with body compression LZ4_FRAME (docs/protocol.md, 5).
 *
 * <p>The output is a function of the schema and the rows only, so re-publishing the same rows
 * gives the same content id: every column is first copied through {@link CanonicalCopy} (which
 * zeroes bytes no reader sees), except the columns of a {@link ParsedRoot}, whose parser leaves
 * those bytes zero (they are lent to the stream unchanged), the IPC options are fixed (metadata V5, continuation markers,
 * no custom metadata, no dictionaries), Arrow pads buffers and messages to 8 bytes with zeros,
 * and the LZ4 blocks are {@link Lz4BlockCompressor}'s, byte for byte lz4-java's pure Java
 * compressor's.
 */
public final class BatchEncoder {
  /** Fixed so that a change in Arrow's default cannot change our bytes. */
  static final IpcOption IPC_OPTION = new IpcOption(false, MetadataVersion.V5);

  private final BufferAllocator allocator;

  /** Creates an encoder that takes its scratch memory from {@code allocator}. */
  public BatchEncoder(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  /** Encodes one record batch. */
  public EncodedBatch encode(TableSchema schema, VectorSchemaRoot batch) {
    return encode(schema, List.of(batch));
  }

  /**
   * Encodes {@code batches}, in order, as the record batches of one blob. Every root's Arrow
   * schema must equal {@code schema.toArrow()} exactly (names, types, nullability), else
   * BAD_FORMAT. The roots are read, never changed.
   */
  public EncodedBatch encode(TableSchema schema, List<VectorSchemaRoot> batches) {
    Schema arrowSchema = schema.toArrow();
    for (VectorSchemaRoot batch : batches) {
      checkSchema(schema, arrowSchema, batch);
    }
    BlobOutput out = BlobOutput.forThisThread();
    List<ColumnStatsCollector> collectors = new ArrayList<>(schema.size());
    for (int column = 0; column < schema.size(); column++) {
      collectors.add(ColumnStatsCollector.forColumn(schema.column(column)));
    }
    long uncompressedBytes = 0;
    long rows = 0;
    try (VectorSchemaRoot staging = VectorSchemaRoot.create(arrowSchema, allocator);
        ArrowStreamWriter writer = new ArrowStreamWriter(staging, null,
            out, IPC_OPTION, CairnCompressionFactory.INSTANCE,
            CompressionUtil.CodecType.LZ4_FRAME, Optional.empty())) {
      writer.start();
      for (VectorSchemaRoot batch : batches) {
        if (batch instanceof ParsedRoot) {
          uncompressedBytes += writeParsed(batch, staging, collectors, writer);
        } else {
          uncompressedBytes += stage(batch, staging, collectors);
          writer.writeBatch();
        }
        rows += batch.getRowCount();
      }
      writer.end();
    } catch (IOException e) {
      throw new CairnException(ErrorCode.INTERNAL, "writing an Arrow stream to memory failed", e);
    }
    List<ColumnStats> stats = new ArrayList<>(collectors.size());
    for (ColumnStatsCollector collector : collectors) {
      stats.add(collector.finish());
    }
    return new EncodedBatch(out.toByteArray(), rows, stats, uncompressedBytes);
  }

  /** Copies {@code batch} into {@code staging}, collects statistics, returns its buffer bytes. */
  private static long stage(VectorSchemaRoot batch, VectorSchemaRoot staging,
      List<ColumnStatsCollector> collectors) {
    int rows = batch.getRowCount();
    long bytes = 0;
    staging.clear();
    for (int column = 0; column < collectors.size(); column++) {
      FieldVector target = staging.getVector(column);
      CanonicalCopy.copy(batch.getVector(column), target, rows);
      collectors.get(column).add(target, false);
      bytes += target.getBufferSize();
    }
    staging.setRowCount(rows);
    return bytes;
  }

  /**
   * Writes a {@link ParsedRoot}'s rows from its own buffers, lent to {@code staging} for the
   * write and given back after it (the caller may encode the same root again, halved): its
   * parser wrote every byte a reader does not see as zero, so the canonical copy would copy
   * the same bytes (a test compares the blobs of both CSV paths byte for byte). Returns the
   * buffer bytes.
   */
  private static long writeParsed(VectorSchemaRoot batch, VectorSchemaRoot staging,
      List<ColumnStatsCollector> collectors, ArrowStreamWriter writer) throws IOException {
    int rows = batch.getRowCount();
    long bytes = 0;
    int lent = 0;
    staging.clear();
    try {
      for (int column = 0; column < collectors.size(); column++) {
        FieldVector target = staging.getVector(column);
        batch.getVector(column).makeTransferPair(target).transfer();
        lent = column + 1; // given back even if its statistics refuse it (a NULL in NOT NULL)
        collectors.get(column).add(target, true);
        bytes += target.getBufferSize();
      }
      staging.setRowCount(rows);
      writer.writeBatch();
    } finally {
      for (int column = 0; column < lent; column++) {
        staging.getVector(column).makeTransferPair(batch.getVector(column)).transfer();
      }
      batch.setRowCount(rows);
    }
    return bytes;
  }

  private static void checkSchema(TableSchema schema, Schema arrowSchema, VectorSchemaRoot batch) {
    if (!batch.getSchema().equals(arrowSchema)) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "batch schema " + batch.getSchema()
          + " is not the table's " + schema + " (" + arrowSchema + ")");
    }
    for (FieldVector vector : batch.getFieldVectors()) {
      if (vector.getValueCount() != batch.getRowCount()) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "column '" + vector.getName() + "' has "
            + vector.getValueCount() + " values but the batch has " + batch.getRowCount()
            + " rows");
      }
    }
  }
}
