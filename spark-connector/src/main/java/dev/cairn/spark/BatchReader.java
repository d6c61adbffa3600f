package dev.cairn.spark;

import dev.cairn.client.fetch.FetchRequest;
import dev.cairn.client.fetch.FetchStream;
import dev.cairn.client.fetch.HolderDirectory;
import dev.cairn.client.fetch.StripeFetcher;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.BatchDecoder;
import dev.cairn.wire.batch.DecodedBatch;
import dev.cairn.wire.batch.WidenedVectors;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
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
 * of {@link ArrowColumnVector}s over the very vectors decoded: no row is copied. DECIMALs of
 * up to 18 digits go as {@link LongDecimalColumnVector}s, which Spark reads as longs.
 *
 * <p>A batch written before its table gained columns or widened types is decoded against the
 * columns it stores (its slice says which), and presented in the version's terms: a column it
 * lacks as NULLs, one stored narrower copied into the wider type ({@link WidenedVectors});
 * those vectors are this reader's and freed with the batch.
 *
 * <p>Batches whose verified blobs this JVM's {@link VerifiedBlobCache} holds are read from it
 * (no fetch, no hash) before the others, which are fetched meanwhile and, once verified,
 * offered to the cache; option {@code cacheSize} 0 reads around it.
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
  /** The slice of the blob last fetched. */
  private BatchSlice fetchedSlice;
  /** How the decoded batch maps to the version's columns. */
  private TableSchema decodedStored;
  private int[] decodedPositions;
  /** Vectors made for the current root (NULLs, widened copies), freed before the next. */
  private final List<FieldVector> owned = new ArrayList<>();
  private final Map<ContentId, BatchSlice> slices = new HashMap<>();
  /** This JVM's blob cache, or null when the scan reads around it. */
  private final VerifiedBlobCache cache;
  /** Batches the cache held when this task looked, read before the fetched ones. */
  private ArrayDeque<BatchSlice> cachedFirst;
  /** Batches to fetch from donors, and (erasure-coded versions) the next of them. */
  private List<BatchSlice> toFetch;
  private int nextToFetch;

  BatchReader(ReadSpec spec, List<BatchSlice> batches, ScanOptions options,
      CairnClients clients) {
    this.spec = spec;
    this.batches = batches;
    this.clients = clients;
    this.schema = spec.schema();
    this.fetchesAhead = options.fetchesAhead();
    long cacheBytes = options.cacheBytes();
    this.cache = cacheBytes > 0 ? VerifiedBlobCache.SHARED : null;
    if (cache != null) {
      cache.limit(cacheBytes);
    }
    if (spec.selected().length == 0) {
      for (BatchSlice batch : batches) {
        countOnlyRowsLeft += batch.rowCount();
      }
    }
    batches.forEach(b -> slices.putIfAbsent(b.contentId(), b));
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
      decode(blob, fetchedSlice.storedSchema(schema));
      nextRoot = 0;
    }
    closeOwned();
    VectorSchemaRoot root = decoded.roots().get(nextRoot++);
    int[] selected = spec.selected();
    ColumnVector[] columns = new ColumnVector[selected.length];
    for (int i = 0; i < columns.length; i++) {
      FieldVector vector = vectorOf(root, i, selected[i]);
      columns[i] = vector instanceof TimeMicroVector times ? new TimeOfDayColumnVector(times)
          : vector instanceof FixedSizeBinaryVector uuids ? new UuidTextColumnVector(uuids)
          : vector instanceof DecimalVector decimals && LongDecimalColumnVector.fits(decimals)
              ? new LongDecimalColumnVector(decimals)
              : new ArrowColumnVector(vector);
    }
    current = new ColumnarBatch(columns, root.getRowCount());
    return true;
  }

  /**
   * Decodes the stored columns that hold the selected ones (at least one, for the row count),
   * remembering where each selected column is among them (-1: the batch lacks it).
   */
  private void decode(byte[] blob, TableSchema stored) {
    int[] selected = spec.selected();
    int[] storedIndex = new int[selected.length];
    java.util.TreeSet<Integer> wanted = new java.util.TreeSet<>();
    for (int i = 0; i < selected.length; i++) {
      storedIndex[i] = stored == schema ? selected[i]
          : stored.indexOfId(schema.columnId(selected[i]));
      if (storedIndex[i] >= 0) {
        wanted.add(storedIndex[i]);
      }
    }
    if (wanted.isEmpty()) {
      wanted.add(0); // only NULL columns selected: decode one for the row count
    }
    int[] columns = wanted.stream().mapToInt(Integer::intValue).toArray();
    decodedPositions = new int[selected.length];
    for (int i = 0; i < selected.length; i++) {
      decodedPositions[i] = storedIndex[i] < 0 ? -1
          : java.util.Arrays.binarySearch(columns, storedIndex[i]);
    }
    decodedStored = stored;
    decoded = BatchDecoder.decode(blob, stored, columns, CairnClients.allocator());
  }

  /** Returns the vector of selected column {@code i} (table column {@code column}) of root. */
  private FieldVector vectorOf(VectorSchemaRoot root, int i, int column) {
    Column wanted = schema.column(column);
    int position = decodedPositions[i];
    if (position < 0) {
      FieldVector nulls = WidenedVectors.nulls(wanted, root.getRowCount(),
          CairnClients.allocator());
      owned.add(nulls);
      return nulls;
    }
    FieldVector vector = root.getVector(position);
    ColumnType storedType = decodedStored.column(
        decodedStored.indexOfId(schema.columnId(column))).type();
    if (storedType.equals(wanted.type())) {
      return vector;
    }
    FieldVector widened = WidenedVectors.widen(vector, storedType, wanted,
        CairnClients.allocator());
    owned.add(widened);
    return widened;
  }

  private void closeOwned() {
    owned.forEach(FieldVector::close);
    owned.clear();
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

  /**
   * Returns the verified blob of the next batch: first those this JVM's cache holds (their
   * donor fetches for the rest already under way), then the fetched ones, in completion order
   * for replicated versions.
   */
  private byte[] fetchNext() {
    if (cachedFirst == null) {
      splitByCache();
    }
    BatchSlice cachedSlice = cachedFirst.poll();
    if (cachedSlice != null) {
      fetchedSlice = cachedSlice;
      byte[] blob = cache.get(cachedSlice.contentId());
      if (blob != null) {
        ReadCounters.cacheHit();
        return blob;
      }
      // Evicted since this task looked (other tasks filled the cache): fetch it alone.
      return keep(fetchAlone(cachedSlice, holdersOf(List.of(cachedSlice))));
    }
    if (spec.redundancy().isErasure()) {
      fetchedSlice = toFetch.get(nextToFetch++);
      return keep(fetchAlone(fetchedSlice, fetchHolders()));
    }
    if (stream == null) {
      stream = startStream();
    }
    try {
      var fetched = stream.next();
      fetchedSlice = slices.get(fetched.id());
      return keep(fetched.verifiedBytes());
    } catch (CairnException e) {
      throw lost(e);
    }
  }

  /**
   * Splits this partition's batches into those the cache holds now and those to fetch, and
   * starts fetching the latter (replicated versions), so they arrive while the cached ones are
   * decoded. With no cache, every batch is fetched.
   */
  private void splitByCache() {
    cachedFirst = new ArrayDeque<>();
    toFetch = new ArrayList<>();
    for (BatchSlice batch : batches) {
      if (cache != null && cache.contains(batch.contentId())) {
        cachedFirst.add(batch);
      } else {
        toFetch.add(batch);
      }
    }
    if (!toFetch.isEmpty() && !spec.redundancy().isErasure()) {
      stream = startStream();
    }
  }

  /** Counts a blob fetched from donors (verified by then) and offers it to the cache. */
  private byte[] keep(byte[] verifiedBlob) {
    ReadCounters.fetched(verifiedBlob.length);
    if (cache != null) {
      ReadCounters.cacheMiss();
      cache.put(fetchedSlice.contentId(), verifiedBlob);
    }
    return verifiedBlob;
  }

  /** Fetches and verifies one batch on its own: a stripe, or one replicated blob. */
  private byte[] fetchAlone(BatchSlice slice, Map<ContentId, List<InetSocketAddress>> where) {
    RedundancyPolicy redundancy = spec.redundancy();
    if (redundancy.isErasure()) {
      return new StripeFetcher(clients.scheduler()).fetch(slice.toBatchRef(), redundancy, where);
    }
    try {
      return clients.scheduler().fetchOne(request(slice, where));
    } catch (CairnException e) {
      throw lost(e);
    }
  }

  private CairnException lost(CairnException e) {
    return new CairnException(ErrorCode.LOST, "a batch of " + spec.label()
        + " was served intact by none of its holders: " + e.getMessage(), e);
  }

  /** Returns the holders of the batches to fetch, asked once per task. */
  private Map<ContentId, List<InetSocketAddress>> fetchHolders() {
    if (holders == null) {
      holders = holdersOf(toFetch);
    }
    return holders;
  }

  private Map<ContentId, List<InetSocketAddress>> holdersOf(List<BatchSlice> wanted) {
    return new HolderDirectory(clients.meta()).holdersOf(spec.redundancy(),
        wanted.stream().map(BatchSlice::toBatchRef).toList());
  }

  private FetchStream startStream() {
    Map<ContentId, List<InetSocketAddress>> where = fetchHolders();
    List<FetchRequest> requests = new ArrayList<>();
    for (BatchSlice batch : toFetch) {
      requests.add(request(batch, where));
    }
    return clients.scheduler().fetchAll(requests, fetchesAhead);
  }

  private FetchRequest request(BatchSlice batch, Map<ContentId, List<InetSocketAddress>> where) {
    ContentId id = batch.contentId();
    List<InetSocketAddress> holders = where.getOrDefault(id, List.of());
    if (holders.isEmpty()) {
      throw new CairnException(ErrorCode.LOST, "batch " + id.toShortHex() + " of "
          + spec.label() + " has no known holder");
    }
    return new FetchRequest(id, batch.byteSize(), holders);
  }

  private void closeDecoded() {
    closeOwned();
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
