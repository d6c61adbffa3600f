package dev.cairn.wire.batch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ValueVectorUtility;

/**
 * Reads batch blobs (docs/protocol.md, 5) from untrusted bytes.
 *
 * <p>Arrow's own stream reader trusts lengths (it allocates a message's declared body before
 * reading it) and leaks already decompressed buffers when a later one fails. So the decoder
 * drives Arrow's pieces itself: {@link IpcStreamScanner} checks the framing against the blob's
 * size first; Arrow deserializes each message; {@link Lz4FrameCompressionCodec} decompresses
 * each buffer into memory this class tracks, within a per-blob {@link DecodeBudget}; the
 * uncompressed batch is loaded into a fresh root and fully validated (offsets, buffer sizes).
 * Any failure is a {@link CairnException} with BAD_FORMAT and frees everything allocated.
 *
 * <p>A caller may ask for some columns only (projection pushdown): each buffer of the body is
 * compressed on its own, so only the chosen columns' buffers are decompressed and validated;
 * the others are never touched beyond the framing checks. The blob's id still covers all of it.
 *
 * <p>Accepted bodies are LZ4_FRAME (what Cairn writes) or uncompressed; dictionary batches and
 * other message types are refused.
 */
public final class BatchDecoder {
  private BatchDecoder() {
  }

  /** Checks that {@code blob} hashes to {@code expected} (BAD_HASH otherwise), then decodes. */
  public static DecodedBatch decodeVerified(ContentId expected, byte[] blob,
      TableSchema schema, BufferAllocator allocator) {
    ContentId actual = ContentId.of(blob);
    if (!actual.equals(expected)) {
      throw new CairnException(ErrorCode.BAD_HASH,
          "batch blob hashes to " + actual + ", expected " + expected);
    }
    return decode(blob, schema, allocator);
  }

  /**
   * Decodes a blob whose id the caller already checked. Its schema must equal {@code schema}
   * exactly. The returned batches live in {@code allocator}.
   */
  public static DecodedBatch decode(byte[] blob, TableSchema schema,
      BufferAllocator allocator) {
    return decode(blob, schema, allColumns(schema), allocator);
  }

  /**
   * Decodes only the columns at {@code columns} (strictly increasing indexes into
   * {@code schema}) of a blob whose id the caller already checked. The blob's schema must
   * equal {@code schema} exactly; the returned batch carries {@code schema.project(columns)}.
   */
  public static DecodedBatch decode(byte[] blob, TableSchema schema, int[] columns,
      BufferAllocator allocator) {
    TableSchema projected = schema.project(columns);
    List<IpcStreamScanner.IpcMessage> messages = IpcStreamScanner.scan(blob);
    Schema arrowSchema = readSchema(messages, schema);
    ColumnSelection selection = new ColumnSelection(arrowSchema, columns);
    DecodeBudget budget = new DecodeBudget(BatchLimits.DECODED_BLOB_BYTES_MAX);
    Lz4FrameCompressionCodec codec = new Lz4FrameCompressionCodec(budget);
    List<VectorSchemaRoot> roots = new ArrayList<>(messages.size() - 1);
    try {
      for (IpcStreamScanner.IpcMessage message : messages.subList(1, messages.size())) {
        if (message.metadata.headerType() != MessageHeader.RecordBatch) {
          throw new CairnException(ErrorCode.BAD_FORMAT, "IPC message of type "
              + message.metadata.headerType() + " where only record batches may follow");
        }
        roots.add(readRecordBatch(blob, message, selection, codec, allocator));
      }
      return new DecodedBatch(projected, roots);
    } catch (RuntimeException e) {
      roots.forEach(VectorSchemaRoot::close);
      throw asBadFormat(e);
    }
  }

  private static Schema readSchema(List<IpcStreamScanner.IpcMessage> messages,
      TableSchema expected) {
    if (messages.isEmpty() || messages.get(0).metadata.headerType() != MessageHeader.Schema) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "Arrow stream does not start with a schema");
    }
    Schema schema;
    try {
      schema = MessageSerializer.deserializeSchema(messages.get(0).metadata);
    } catch (RuntimeException e) {
      throw asBadFormat(e);
    }
    if (!schema.equals(expected.toArrow())) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "blob schema " + schema + " is not the expected " + expected);
    }
    return schema;
  }

  private static VectorSchemaRoot readRecordBatch(byte[] blob,
      IpcStreamScanner.IpcMessage message, ColumnSelection selection,
      Lz4FrameCompressionCodec codec, BufferAllocator allocator) {
    ArrowRecordBatch stored = deserialize(blob, message, allocator);
    try (stored;
        ArrowRecordBatch plain = decompress(selection.select(stored), codec, allocator)) {
      VectorSchemaRoot root = VectorSchemaRoot.create(selection.schema(), allocator);
      try {
        new VectorLoader(root).load(plain);
        validate(root);
        return root;
      } catch (RuntimeException e) {
        root.close();
        throw e;
      }
    }
  }

  /**
   * Checks buffer sizes, row counts, VARCHAR and VARBINARY offsets and UTF-8 (our own
   * {@link VariableWidthCheck}: Arrow's full validation of them cost more than decompressing),
   * and TIME values within a day (Arrow does not know that range). Arrow 19's full validation
   * of a DecimalVector wrongly rejects values with exactly {@code precision} digits (it tests
   * {@code precision() < p}), so decimal columns get the structural check only.
   */
  private static void validate(VectorSchemaRoot root) {
    ValueVectorUtility.validate(root);
    for (FieldVector vector : root.getFieldVectors()) {
      if (vector instanceof BaseVariableWidthVector variableWidth) {
        VariableWidthCheck.check(variableWidth);
      } else if (!(vector instanceof DecimalVector)) {
        ValueVectorUtility.validateFull(vector);
      }
      if (vector instanceof TimeMicroVector) {
        validateTimes((TimeMicroVector) vector);
      }
    }
  }

  private static void validateTimes(TimeMicroVector times) {
    for (int row = 0; row < times.getValueCount(); row++) {
      if (!times.isNull(row)) {
        TimeOfDay.check(times.get(row), times.getName());
      }
    }
  }

  /** Copies the body out of the blob; the returned batch owns it (Arrow releases ours). */
  private static ArrowRecordBatch deserialize(byte[] blob, IpcStreamScanner.IpcMessage message,
      BufferAllocator allocator) {
    ArrowBuf body = allocator.buffer(message.bodyLength);
    try {
      body.setBytes(0, blob, message.bodyOffset, message.bodyLength);
      body.writerIndex(message.bodyLength);
      // On success this releases our reference to body: the batch's slices keep it alive.
      return MessageSerializer.deserializeRecordBatch(message.metadata, body);
    } catch (IOException | RuntimeException e) {
      body.close();
      throw new CairnException(ErrorCode.BAD_FORMAT, "unreadable record batch: " + e, e);
    }
  }

  /**
   * Returns an uncompressed copy of {@code stored}'s selected nodes and buffers (or new
   * references to them if plain).
   */
  private static ArrowRecordBatch decompress(ColumnSelection.Selected stored,
      Lz4FrameCompressionCodec codec, BufferAllocator allocator) {
    byte codecType = stored.codec();
    List<ArrowBuf> buffers = new ArrayList<>(stored.buffers().size());
    try {
      if (codecType == NoCompressionCodec.COMPRESSION_TYPE) {
        return new ArrowRecordBatch(stored.length(), stored.nodes(), stored.buffers());
      }
      if (codecType != CompressionUtil.CodecType.LZ4_FRAME.getType()) {
        throw new CairnException(ErrorCode.BAD_FORMAT,
            "Arrow body compression " + codecType + " is not supported; use LZ4_FRAME");
      }
      for (ArrowBuf buffer : stored.buffers()) {
        // A zero-length body buffer has no prefix at all: it is empty, as Arrow's loader reads it.
        buffers.add(buffer.writerIndex() == 0 ? allocator.getEmpty()
            : codec.decodeToNewBuffer(allocator, buffer));
      }
      // The new batch takes its own reference to each buffer; ours are released below.
      return new ArrowRecordBatch(stored.length(), stored.nodes(), buffers);
    } finally {
      buffers.forEach(ArrowBuf::close);
    }
  }

  private static int[] allColumns(TableSchema schema) {
    int[] all = new int[schema.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return all;
  }

  private static CairnException asBadFormat(RuntimeException e) {
    if (e instanceof CairnException) {
      return (CairnException) e;
    }
    return new CairnException(ErrorCode.BAD_FORMAT, "malformed batch blob: " + e, e);
  }
}
