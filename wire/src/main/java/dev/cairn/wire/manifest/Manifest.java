package dev.cairn.wire.manifest;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.TypeWidening;
import java.util.ArrayList;
import dev.cairn.wire.crypto.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One version of a table: what a writer signs and everybody else trusts. Immutable and fully
 * validated on construction, so every {@code Manifest} can be encoded (docs/protocol.md, 4).
 *
 * <p>Rules beyond the types:
 * <ul>
 *   <li>The table name is 1 to 255 ASCII characters {@code [A-Za-z_][A-Za-z0-9_]*}: it is a SQL
 *       identifier that needs no quoting and a safe path or URL component everywhere. Case is
 *       kept; readers decide how to match it.
 *   <li>Versions are 1 to 2^63-1 and only need to increase along a table's history, not be
 *       consecutive. Version 1 has no parent. A later version normally names its parent's
 *       manifest id; one without a parent starts a new history, which the metadata service
 *       may refuse. The format itself cannot know whether a version is a table's first.
 *   <li>Zero batches is valid: it is an empty table (for instance, just created or truncated).
 *       The same batch id may appear twice: appending identical rows twice is legitimate.
 *   <li>Each batch has one statistics entry per column, in schema order; bounds have the Java
 *       class of the column kind ({@link ColumnStats}), DECIMAL bounds the column's scale and at
 *       most its precision, DOUBLE bounds are never NaN, VARCHAR bounds at most
 *       {@link ColumnStats#STRING_BOUND_BYTES_MAX} bytes, min ≤ max when both are present, and
 *       a NOT NULL column has a null count of 0.
 *   <li>The freshness promise {@link #refreshEveryMillis} is 0 (none) or 1 s to 365 days.
 *   <li>A batch that stores other columns than the table's ({@link BatchRef#stored}) stores
 *       only columns of the table (by id), each with a type that widens to the table's
 *       ({@link TypeWidening}) and NOT NULL if the table's column is; a NOT NULL column of the
 *       table is stored by every batch. Its statistics follow its stored columns. A stored
 *       schema equal to the table's is dropped, so each manifest has one spelling.
 * </ul>
 */
public final class Manifest {
  /**
   * The newest manifest format: 2 adds the refresh promise and each batch's chunk root, 3 the
   * erasure-coded policy and each batch's shard ids, 4 column ids and the columns of batches
   * stored before the table gained columns or widened types. A version is encoded in the
   * oldest format that holds it, so older readers keep reading what they can
   * ({@link #formatVersion}).
   */
  public static final int FORMAT_VERSION = 4;
  /**
   * The format of an erasure-coded version whose table has not evolved: 3 adds the
   * erasure-coded policy and each batch's shard ids.
   */
  public static final int FORMAT_VERSION_ERASURE = 3;
  /** The format of a replicated version. */
  public static final int FORMAT_VERSION_REPLICAS = 2;
  /** Largest shard of an erasure-coded batch, so a shard fits a Java array. */
  public static final long SHARD_BYTES_MAX = Integer.MAX_VALUE - 8;
  /** The oldest manifest format the decoder still reads (it has no refresh promise). */
  public static final int FORMAT_VERSION_MIN = 1;
  /** Shortest freshness promise other than none: below a second, clocks decide, not writers. */
  public static final long REFRESH_EVERY_MILLIS_MIN = 1_000L;
  /** Longest freshness promise: a year; a promise longer than that protects against nothing. */
  public static final long REFRESH_EVERY_MILLIS_MAX = 365L * 24 * 60 * 60 * 1000;
  /** Longest table name in bytes (it is ASCII, so also in characters). */
  public static final int TABLE_NAME_BYTES_MAX = 255;
  /** Most batches one table version may list. */
  public static final int BATCHES_MAX = 1_000_000;

  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final String tableName;
  private final PublicKey writerKey;
  private final long version;
  private final ContentId parentId;
  private final long createdAtMillis;
  private final long refreshEveryMillis;
  private final TableSchema schema;
  private final RedundancyPolicy redundancy;
  private final List<BatchRef> batches;

  /** Creates a manifest without a freshness promise; BAD_FORMAT if any rule is broken. */
  public Manifest(String tableName, PublicKey writerKey, long version, ContentId parentId,
      long createdAtMillis, TableSchema schema, RedundancyPolicy redundancy,
      List<BatchRef> batches) {
    this(tableName, writerKey, version, parentId, createdAtMillis, 0L, schema, redundancy,
        batches);
  }

  /**
   * Creates a manifest whose writer promises to re-sign a head timestamp at least every
   * {@code refreshEveryMillis} (0: no promise; else {@link #REFRESH_EVERY_MILLIS_MIN} to
   * {@link #REFRESH_EVERY_MILLIS_MAX}); BAD_FORMAT if any rule above is broken.
   */
  public Manifest(String tableName, PublicKey writerKey, long version, ContentId parentId,
      long createdAtMillis, long refreshEveryMillis, TableSchema schema,
      RedundancyPolicy redundancy, List<BatchRef> batches) {
    this.tableName = requireNonNull(tableName, "tableName");
    this.writerKey = requireNonNull(writerKey, "writerKey");
    this.parentId = parentId;
    this.schema = requireNonNull(schema, "schema");
    this.redundancy = requireNonNull(redundancy, "redundancy");
    this.batches = withoutRedundantStored(requireNonNull(batches, "batches"), schema);
    this.version = version;
    this.createdAtMillis = createdAtMillis;
    this.refreshEveryMillis = refreshEveryMillis;
    checkTableName(tableName);
    checkRefreshEvery(refreshEveryMillis);
    if (version < 1) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "version must be at least 1, not "
          + version);
    }
    if (version == 1 && parentId != null) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "version 1 cannot have a parent");
    }
    if (this.batches.size() > BATCHES_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "a manifest lists at most " + BATCHES_MAX
          + " batches, not " + this.batches.size());
    }
    for (Column column : schema.columns()) {
      ByteSink.strictUtf8(column.name(), "column name '" + column.name() + "'");
    }
    // Each distinct stored schema is checked against the table once, not once per batch.
    java.util.Set<TableSchema> storedChecked = new java.util.HashSet<>();
    for (int i = 0; i < this.batches.size(); i++) {
      BatchRef batch = this.batches.get(i);
      if (batch.stored() != null && storedChecked.add(batch.stored())) {
        checkStored(batch.stored(), i);
      }
      checkStats(batch, i);
      checkShards(batch, i);
    }
  }

  private static List<BatchRef> withoutRedundantStored(List<BatchRef> batches,
      TableSchema schema) {
    List<BatchRef> out = new ArrayList<>(batches.size());
    for (BatchRef b : batches) {
      out.add(schema.equals(b.stored()) ? b.withStored(null) : b);
    }
    return List.copyOf(out);
  }

  private void checkShards(BatchRef batch, int index) {
    int count = batch.shardIds().size();
    if (count != redundancy.shardCount()) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "batch " + index + " lists " + count
          + " shards but the policy " + redundancy + " has " + redundancy.shardCount());
    }
    if (redundancy.isErasure()
        && batch.byteSize() > redundancy.dataShards() * SHARD_BYTES_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "batch " + index + " of "
          + batch.byteSize() + " bytes would need shards above " + SHARD_BYTES_MAX + " bytes");
    }
  }

  /** Throws BAD_FORMAT unless {@code name} is a valid table name. */
  public static void checkTableName(String name) {
    if (name.isEmpty() || name.length() > TABLE_NAME_BYTES_MAX
        || !TABLE_NAME.matcher(name).matches()) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "table name '" + name + "' must be 1 to "
          + TABLE_NAME_BYTES_MAX + " characters of A-Z, a-z, 0-9 and _, not starting with a digit");
    }
  }

  /** Throws BAD_FORMAT unless {@code millis} is 0 or a promise within the bounds above. */
  public static void checkRefreshEvery(long millis) {
    if (millis != 0 && (millis < REFRESH_EVERY_MILLIS_MIN || millis > REFRESH_EVERY_MILLIS_MAX)) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "refresh promise must be 0 (none) or "
          + REFRESH_EVERY_MILLIS_MIN + " to " + REFRESH_EVERY_MILLIS_MAX + " ms, not " + millis);
    }
  }

  private void checkStats(BatchRef batch, int index) {
    List<ColumnStats> stats = batch.stats();
    TableSchema stored = storedSchema(batch);
    if (stats.size() != stored.size()) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "batch " + index + " has " + stats.size()
          + " statistics entries but stores " + stored.size() + " columns");
    }
    for (int c = 0; c < stats.size(); c++) {
      Column column = stored.column(c);
      String where = "batch " + index + " column " + column.name();
      if (!column.nullable() && stats.get(c).nullCount() != 0) {
        throw new CairnException(ErrorCode.BAD_FORMAT, where + " is NOT NULL but has "
            + stats.get(c).nullCount() + " nulls");
      }
      StatValues.check(column.type(), stats.get(c), where);
    }
  }

  /**
   * Checks that a batch's own columns are columns of the table, each of a type that widens to
   * the table's, and that it stores every NOT NULL column of the table as NOT NULL.
   */
  private void checkStored(TableSchema stored, int index) {
    for (int c = 0; c < stored.size(); c++) {
      int at = schema.indexOfId(stored.columnId(c));
      Column own = stored.column(c);
      if (at < 0) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "batch " + index + " stores column "
            + own.name() + " (id " + stored.columnId(c) + "), which the table does not have");
      }
      Column table = schema.column(at);
      if (!TypeWidening.widensTo(own.type(), table.type())) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "batch " + index + " stores column "
            + own.name() + " as " + own.type() + ", which does not widen to the table's "
            + table.type());
      }
      if (!table.nullable() && own.nullable()) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "batch " + index + " stores the NOT NULL"
            + " column " + table.name() + " as nullable");
      }
    }
    for (int t = 0; t < schema.size(); t++) {
      if (!schema.column(t).nullable() && stored.indexOfId(schema.columnId(t)) < 0) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "batch " + index + " lacks the NOT NULL"
            + " column " + schema.column(t).name());
      }
    }
  }

  /**
   * Returns the format this manifest is encoded in: the oldest that holds it, so readers that
   * predate a format keep reading every version that does not need it. 4 if the table has
   * evolved (a batch stores other columns than the table's, or the column ids are not the
   * positions), else 3 if erasure-coded, else 2.
   */
  public int formatVersion() {
    if (hasEvolved()) {
      return FORMAT_VERSION;
    }
    return redundancy.isErasure() ? FORMAT_VERSION_ERASURE : FORMAT_VERSION_REPLICAS;
  }

  /**
   * Returns true if some batch stores other columns than the table's or a column id is not its
   * position: what only format 4 can say.
   */
  public boolean hasEvolved() {
    return !schema.hasPositionalIds() || batches.stream().anyMatch(b -> b.stored() != null);
  }

  /** Returns the columns {@code batch} (one of this manifest's) stores, in its blob's order. */
  public TableSchema storedSchema(BatchRef batch) {
    return batch.stored() != null ? batch.stored() : schema;
  }

  /**
   * Returns the statistics of {@code batch} (one of this manifest's) in the table's terms: one
   * entry per table column in schema order. A column the batch does not store is all NULL in
   * it (null count = row count, no bounds), which is exact; a column it stores narrower has
   * its bounds widened to the table's type, which keeps them true.
   */
  public List<ColumnStats> tableStats(BatchRef batch) {
    if (batch.stored() == null) {
      return batch.stats();
    }
    TableSchema stored = batch.stored();
    List<ColumnStats> out = new ArrayList<>(schema.size());
    for (int t = 0; t < schema.size(); t++) {
      int at = stored.indexOfId(schema.columnId(t));
      out.add(at < 0 ? new ColumnStats(batch.rowCount(), null, null)
          : TypeWidening.widenStats(batch.stats().get(at), stored.column(at).type(),
              schema.column(t).type()));
    }
    return out;
  }

  public String tableName() {
    return tableName;
  }

  /** Returns the key that signs this table's versions. */
  public PublicKey writerKey() {
    return writerKey;
  }

  public long version() {
    return version;
  }

  /** Returns the manifest id of the previous version, or null if there is none. */
  public ContentId parentId() {
    return parentId;
  }

  /** Returns when the writer made this version, in milliseconds since 1970-01-01T00:00Z. */
  public long createdAtMillis() {
    return createdAtMillis;
  }

  /**
   * Returns how often the writer promised to re-sign this head's validity, in milliseconds; 0
   * means no promise, and the head never expires (docs/protocol.md, 4.7).
   */
  public long refreshEveryMillis() {
    return refreshEveryMillis;
  }

  public TableSchema schema() {
    return schema;
  }

  public RedundancyPolicy redundancy() {
    return redundancy;
  }

  /** Returns the batches in table order. */
  public List<BatchRef> batches() {
    return batches;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Manifest)) {
      return false;
    }
    Manifest m = (Manifest) o;
    return tableName.equals(m.tableName) && writerKey.equals(m.writerKey)
        && version == m.version && Objects.equals(parentId, m.parentId)
        && createdAtMillis == m.createdAtMillis && refreshEveryMillis == m.refreshEveryMillis
        && schema.equals(m.schema)
        && redundancy.equals(m.redundancy) && batches.equals(m.batches);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tableName, writerKey, version, parentId, createdAtMillis,
        refreshEveryMillis, schema, redundancy, batches);
  }

  @Override
  public String toString() {
    return "Manifest{" + tableName + " v" + version + ", writer " + writerKey.fingerprint()
        + ", parent " + (parentId == null ? "none" : parentId.toShortHex()) + ", "
        + batches.size() + " batches}";
  }
}
