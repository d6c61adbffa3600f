package dev.cairn.spark;

import dev.cairn.client.fetch.FetchRequest;
import dev.cairn.client.fetch.FetchStream;
import dev.cairn.client.fetch.HolderDirectory;
import dev.cairn.client.fetch.StripeFetcher;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.BatchDecoder;
import dev.cairn.wire.batch.DecodedBatch;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Reads one partition on an executor: finds each batch's holders at a metadata service, fetches
 * the blobs through the JVM's shared multi-source scheduler (ranked near donors, hedged, failed
 * over, every blob verified against the id the driver's verified manifest gave), decodes only
 * the selected columns, and hands each Arrow record batch to Spark as a {@link ColumnarBatch}
 * of {@link ArrowColumnVector}s over the very vectors decoded: no row is copied.
 *
 * <p>A blob no holder serves intact fails the task with LOST naming the batch. When no column
 * is selected ({@code count(*)}), nothing is fetched: the signed manifest's row counts are the
 * answer. Each batch returned stays valid until the next call to {@link #next}.
 */
final class BatchReader implements PartitionReader<ColumnarBatch> {
  private final ReadSpec spec;
  private final List<BatchSlice> batches;
  private final CairnClients clients;
  private final TableSchema schema;
  private final int fetchesAhead;
  private FetchStream stream;
  private Map<ContentId, List<InetSocketAddress>> holders;
  private int nextBatch;
  private DecodedBatch decoded;
  private int nextRoot;
  private ColumnarBatch current;
  private long countOnlyRowsLeft;

  BatchReader(ReadSpec spec, List<BatchSlice> batches, ScanOptions options,
      CairnClients clients) {
    this.spec = spec;
    this.batches = batches;
    this.clients = clients;
    this.schema = spec.schema();
    this.fetchesAhead = options.fetchesAhead();
    if (spec.selected().length == 0) {
      for (BatchSlice batch : batches) {
        countOnlyRowsLeft += batch.rowCount();
      }
    }
  }

  @Override
  public boolean next() {
    if (spec.selected().length == 0) {
      return nextCountOnly();
    }
    while (decoded == null || nextRoot >= decoded.roots().size()) {
      closeDecoded();
      if (nextBatch >= batches.size()) {
        current = null;
        return false;
      }
      byte[] blob = fetchNext();
      nextBatch++;
      decoded = BatchDecoder.decode(blob, schema, spec.selected(), CairnClients.allocator());
      nextRoot = 0;
    }
    VectorSchemaRoot root = decoded.roots().get(nextRoot++);
    List<FieldVector> vectors = root.getFieldVectors();
    ColumnVector[] columns = new ColumnVector[vectors.size()];
    for (int i = 0; i < columns.length; i++) {
      FieldVector vector = vectors.get(i);
      columns[i] = vector instanceof TimeMicroVector times ? new TimeOfDayColumnVector(times)
          : new ArrowColumnVector(vector);
    }
    current = new ColumnarBatch(columns, root.getRowCount());
    return true;
  }

  /** Row counts only, from the signed manifest, in batches Spark's int row count can hold. */
  private boolean nextCountOnly() {
    if (countOnlyRowsLeft == 0) {
      current = null;
      return false;
    }
    int rows = (int) Math.min(countOnlyRowsLeft, 1 << 20);
    countOnlyRowsLeft -= rows;
    current = new ColumnarBatch(new ColumnVector[0], rows);
    return true;
  }

  @Override
  public ColumnarBatch get() {
    return current;
  }

  /** Returns the verified blob of the next batch (completion order for replicated versions). */
  private byte[] fetchNext() {
    RedundancyPolicy redundancy = spec.redundancy();
    if (holders == null) {
      holders = lookUpHolders(redundancy);
    }
    byte[] blob;
    if (redundancy.isErasure()) {
      blob = new StripeFetcher(clients.scheduler()).fetch(batches.get(nextBatch).toBatchRef(),
          redundancy, holders);
    } else {
      if (stream == null) {
        stream = startStream();
      }
      try {
        blob = stream.next().verifiedBytes();
      } catch (CairnException e) {
        throw new CairnException(ErrorCode.LOST, "a batch of " + spec.label()
            + " was served intact by none of its holders: " + e.getMessage(), e);
      }
    }
    ReadCounters.fetched(blob.length);
    return blob;
  }

  private Map<ContentId, List<InetSocketAddress>> lookUpHolders(RedundancyPolicy redundancy) {
    List<ContentId> ids = new ArrayList<>();
    for (BatchSlice batch : batches) {
      if (redundancy.isErasure()) {
        batch.toBatchRef().shardIds().forEach(ids::add);
      } else {
        ids.add(batch.contentId());
      }
    }
    return new HolderDirectory(clients.meta()).holders(redundancy.donorsPerBatch(), ids);
  }

  private FetchStream startStream() {
    List<FetchRequest> requests = new ArrayList<>();
    for (BatchSlice batch : batches) {
      ContentId id = batch.contentId();
      List<InetSocketAddress> where = holders.getOrDefault(id, List.of());
      if (where.isEmpty()) {
        throw new CairnException(ErrorCode.LOST, "batch " + id.toShortHex() + " of "
            + spec.label() + " has no known holder");
      }
      requests.add(new FetchRequest(id, batch.byteSize(), where));
    }
    return clients.scheduler().fetchAll(requests, fetchesAhead);
  }

  private void closeDecoded() {
    if (decoded != null) {
      decoded.close();
      decoded = null;
    }
  }

  @Override
  public void close() {
    current = null;
    if (stream != null) {
      stream.close();
    }
    closeDecoded();
  }
}
