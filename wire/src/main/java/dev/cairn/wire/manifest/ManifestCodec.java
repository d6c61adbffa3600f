package dev.cairn.wire.manifest;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Encodes, signs, decodes and verifies manifests (docs/protocol.md, 4). Byte layout of the body
 * (big-endian; string = u16 length + UTF-8):
 *
 * <pre>
 * magic "CAIRNMF" bytes[7] | format u8 = 2, 3 or 4 | tableName string | writerKey bytes[32]
 * version u64 | createdAtMillis i64 | refreshEveryMillis i64 (format 2, 3, 4)
 * hasParent u8 | parentId bytes[32] if hasParent
 * redundancy kind u8 | replicas u8 (kind 1) or dataShards u8, parityShards u8 (kind 2)
 * columnCount u16
 * columns: (id u32, format 4) name string, type u8, (precision u8, scale u8 if DECIMAL),
 *   nullable u8
 * format 4: storedCount u16 | stored schemas: columnCount u16, columns as above with ids
 * batchCount u32 | batches: id bytes[32], byteSize u64, rowCount u64, chunkRoot bytes[32],
 *   shardIds bytes[32] × (k + m) (erasure-coded only), stored u16 (format 4: 0 = the table's
 *   columns, i = stored schema i),
 *   per stored column: nullCount u64, presence u8 (bit 0 min, bit 1 max), min?, max?
 * </pre>
 *
 * followed by the 64-byte Ed25519 signature of the body in domain {@code manifest/v1}. A
 * chunkRoot of 32 zero bytes means "no root known" (a batch carried over from a format 1
 * manifest; no SHA-256 output is all zeros in practice) and decodes to null. The encoder
 * writes format 3 for an erasure-coded manifest and format 2 for a replicated one, so that
 * readers older than format 3 keep reading replicated tables; format 3 always carries the
 * erasure policy and format 1 and 2 always the replica count, one spelling each. The decoder
 * also reads format 1, which lacks both {@code refreshEveryMillis} (it decodes as 0, no
 * freshness promise) and {@code chunkRoot} (it decodes as null), and verifies and names such
 * a manifest by exactly the bytes it was given.
 *
 * <p>The encoding is canonical: every field has one permitted spelling and the decoder rejects
 * all others, so a manifest has exactly one encoding and its id is a function of its meaning.
 * {@link #decode} checks the size first, then parses the whole structure strictly (every
 * count against its limit and the remaining bytes before allocating), and only then verifies
 * the signature: structural errors are BAD_FORMAT, a signature that fails is BAD_SIGNATURE.
 */
public final class ManifestCodec {
  /** Largest encoded manifest accepted, checked before anything else. */
  public static final int MANIFEST_BYTES_MAX = 256 * 1024 * 1024;
  /** The magic at the start of every manifest. */
  static final byte[] MAGIC = "CAIRNMF".getBytes(StandardCharsets.US_ASCII);

  private static final int PRESENT_MIN = 1;
  private static final int PRESENT_MAX = 2;
  /** Smallest encoded column: 1-byte name, type, nullable. */
  private static final int COLUMN_BYTES_MIN = 2 + 1 + 1 + 1;
  /** Smallest encoded column with its id (format 4). */
  private static final int COLUMN_WITH_ID_BYTES_MIN = 4 + COLUMN_BYTES_MIN;
  /** Smallest encoded batch before its statistics in format 1: id, byteSize, rowCount. */
  private static final int BATCH_BYTES_MIN = ContentId.BYTES + 8 + 8;
  /**
   * The oldest format the decoder still reads: batches without a chunk root and no refresh
   * promise.
   */
  static final int FORMAT_WITHOUT_CHUNK_ROOTS = Manifest.FORMAT_VERSION_MIN;
  /** The first format that holds an erasure-coded policy and every batch's shard ids. */
  static final int FORMAT_WITH_SHARDS = 3;
  /** The format with column ids and batches' own stored columns, and either policy. */
  static final int FORMAT_WITH_COLUMN_IDS = 4;
  /** Most distinct stored schemas one manifest lists (a u16 index, 0 meaning the table's). */
  static final int STORED_SCHEMAS_MAX = 65_535;
  /** How a batch without a known chunk root is spelled in format 2. */
  private static final byte[] NO_CHUNK_ROOT = new byte[ContentId.BYTES];
  /** Smallest encoded statistics entry: nullCount, presence. */
  private static final int STATS_BYTES_MIN = 8 + 1;

  private ManifestCodec() {}

  /** Returns the canonical body bytes of {@code manifest}: what the writer signs. */
  public static byte[] encodeBody(Manifest manifest) {
    return encodeBody(manifest, manifest.formatVersion());
  }

  /**
   * Returns the body in {@code format} 1, 2 or 3; format 1 only for a manifest without chunk
   * roots or refresh promise, format 3 only and always for an erasure-coded one. Writers use
   * {@link Manifest#formatVersion}; format 1 is here so tests can re-encode old manifests.
   */
  static byte[] encodeBody(Manifest manifest, int format) {
    requireNonNull(manifest, "manifest");
    boolean withChunkRoots = format != FORMAT_WITHOUT_CHUNK_ROOTS;
    if (format < Manifest.FORMAT_VERSION_MIN || format > Manifest.FORMAT_VERSION) {
      throw new IllegalArgumentException("no manifest format " + format);
    }
    boolean withIds = format == FORMAT_WITH_COLUMN_IDS;
    if (!withIds && manifest.redundancy().isErasure() != (format == FORMAT_WITH_SHARDS)) {
      throw new IllegalArgumentException("format " + format + " cannot hold the policy "
          + manifest.redundancy());
    }
    if (!withIds && manifest.hasEvolved()) {
      throw new IllegalArgumentException("format " + format + " has no place for column ids");
    }
    if (!withChunkRoots && manifest.batches().stream().anyMatch(b -> b.chunkRoot() != null)) {
      throw new IllegalArgumentException("format 1 has no place for chunk roots");
    }
    if (!withChunkRoots && manifest.refreshEveryMillis() != 0) {
      throw new IllegalArgumentException("format 1 has no place for a refresh promise");
    }
    ByteSink out = new ByteSink(MANIFEST_BYTES_MAX - PublicKey.SIGNATURE_BYTES);
    out.bytes(MAGIC);
    out.u8(format);
    out.string(manifest.tableName(), Manifest.TABLE_NAME_BYTES_MAX, "table name");
    out.bytes(manifest.writerKey().toBytes());
    out.i64(manifest.version());
    out.i64(manifest.createdAtMillis());
    if (withChunkRoots) {
      out.i64(manifest.refreshEveryMillis());
    }
    out.bool(manifest.parentId() != null);
    if (manifest.parentId() != null) {
      out.bytes(manifest.parentId().toBytes());
    }
    writeRedundancy(out, manifest.redundancy());
    writeSchema(out, manifest.schema(), withIds);
    List<TableSchema> stored = withIds ? storedSchemas(manifest) : List.of();
    if (withIds) {
      out.u16(stored.size());
      for (TableSchema schema : stored) {
        writeSchema(out, schema, true);
      }
    }
    out.u32(manifest.batches().size());
    for (BatchRef batch : manifest.batches()) {
      writeBatch(out, manifest.storedSchema(batch), batch, withChunkRoots);
      if (withIds) {
        out.u16(batch.stored() == null ? 0 : stored.indexOf(batch.stored()) + 1);
      }
      writeStats(out, manifest.storedSchema(batch), batch);
    }
    return out.toByteArray();
  }

  /** Returns the batches' own stored schemas, each once, in the order batches first use them. */
  private static List<TableSchema> storedSchemas(Manifest manifest) {
    LinkedHashSet<TableSchema> distinct = new LinkedHashSet<>();
    for (BatchRef batch : manifest.batches()) {
      if (batch.stored() != null) {
        distinct.add(batch.stored());
      }
    }
    if (distinct.size() > STORED_SCHEMAS_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "a manifest lists at most "
          + STORED_SCHEMAS_MAX + " stored schemas, not " + distinct.size());
    }
    return new ArrayList<>(distinct);
  }

  private static void writeRedundancy(ByteSink out, RedundancyPolicy redundancy) {
    out.u8(redundancy.kind().code());
    if (redundancy.isErasure()) {
      out.u8(redundancy.dataShards());
      out.u8(redundancy.parityShards());
    } else {
      out.u8(redundancy.replicas());
    }
  }

  private static void writeSchema(ByteSink out, TableSchema schema, boolean withIds) {
    out.u16(schema.size());
    for (int i = 0; i < schema.size(); i++) {
      Column column = schema.column(i);
      if (withIds) {
        out.u32(schema.columnId(i));
      }
      out.string(column.name(), Column.NAME_BYTES_MAX, "column name");
      out.u8(column.type().kind().code());
      if (column.type().kind() == ColumnType.Kind.DECIMAL) {
        out.u8(column.type().precision());
        out.u8(column.type().scale());
      }
      out.bool(column.nullable());
    }
  }

  private static void writeBatch(ByteSink out, TableSchema schema, BatchRef batch,
      boolean withChunkRoot) {
    // schema: the batch's stored columns, whose statistics writeStats writes after it.
    out.bytes(batch.id().toBytes());
    out.i64(batch.byteSize());
    out.i64(batch.rowCount());
    if (withChunkRoot) {
      out.bytes(batch.chunkRoot() == null ? NO_CHUNK_ROOT : batch.chunkRoot().toBytes());
    }
    for (ContentId shard : batch.shardIds()) {
      out.bytes(shard.toBytes());
    }
  }

  private static void writeStats(ByteSink out, TableSchema schema, BatchRef batch) {
    for (int c = 0; c < schema.size(); c++) {
      ColumnStats stats = batch.stats().get(c);
      ColumnType type = schema.column(c).type();
      out.i64(stats.nullCount());
      out.u8((stats.min() != null ? PRESENT_MIN : 0) | (stats.max() != null ? PRESENT_MAX : 0));
      if (stats.min() != null) {
        StatValues.write(out, type, stats.min());
      }
      if (stats.max() != null) {
        StatValues.write(out, type, stats.max());
      }
    }
  }

  /** Signs {@code manifest}; BAD_SIGNATURE if {@code key} is not the manifest's writer key. */
  public static SignedManifest sign(Manifest manifest, SigningKey key) {
    requireNonNull(manifest, "manifest");
    requireNonNull(key, "key");
    if (!key.publicKey().equals(manifest.writerKey())) {
      throw new CairnException(ErrorCode.BAD_SIGNATURE, "refusing to sign a manifest of writer "
          + manifest.writerKey().fingerprint() + " with key " + key.publicKey().fingerprint());
    }
    byte[] body = encodeBody(manifest);
    byte[] signature = key.sign(SignatureDomain.MANIFEST, body);
    return new SignedManifest(manifest, signature, concat(body, signature));
  }

  private static byte[] concat(byte[] body, byte[] signature) {
    byte[] encoded = new byte[body.length + signature.length];
    System.arraycopy(body, 0, encoded, 0, body.length);
    System.arraycopy(signature, 0, encoded, body.length, signature.length);
    return encoded;
  }

  /**
   * Parses {@code encoded} strictly and verifies its signature against the writer key it
   * carries. Throws only {@link CairnException}: BAD_FORMAT or BAD_SIGNATURE.
   */
  public static SignedManifest decode(byte[] encoded) {
    requireNonNull(encoded, "encoded");
    if (encoded.length > MANIFEST_BYTES_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "manifest is " + encoded.length
          + " bytes; the limit is " + MANIFEST_BYTES_MAX);
    }
    if (encoded.length < PublicKey.SIGNATURE_BYTES) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "manifest is " + encoded.length
          + " bytes, too short to hold even its signature");
    }
    int bodyLength = encoded.length - PublicKey.SIGNATURE_BYTES;
    Manifest manifest = parseBody(encoded, bodyLength);
    byte[] body = java.util.Arrays.copyOf(encoded, bodyLength);
    byte[] signature = java.util.Arrays.copyOfRange(encoded, bodyLength, encoded.length);
    manifest.writerKey().checkSignature(SignatureDomain.MANIFEST, body, signature,
        "manifest of table " + manifest.tableName() + " version " + manifest.version());
    return new SignedManifest(manifest, signature, encoded);
  }

  /** Parses the first {@code bodyLength} bytes as a body, checking no signature. */
  static Manifest parseBody(byte[] data, int bodyLength) {
    ByteSource in = new ByteSource(data, 0, bodyLength);
    byte[] magic = in.bytes(MAGIC.length, "magic");
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "not a Cairn manifest (magic is not "
          + "'CAIRNMF')");
    }
    int format = in.u8("format version");
    if (format < Manifest.FORMAT_VERSION_MIN || format > Manifest.FORMAT_VERSION) {
      throw in.error("manifest format " + format + " is not supported; this release reads "
          + Manifest.FORMAT_VERSION_MIN + " to " + Manifest.FORMAT_VERSION);
    }
    String tableName = in.string(1, Manifest.TABLE_NAME_BYTES_MAX, "table name");
    PublicKey writerKey = PublicKey.fromBytes(in.bytes(PublicKey.BYTES, "writer key"));
    long version = in.u63("version");
    long createdAtMillis = in.i64("created at");
    long refreshEveryMillis =
        format != FORMAT_WITHOUT_CHUNK_ROOTS ? in.i64("refresh every") : 0L;
    ContentId parentId = in.bool("has parent")
        ? ContentId.fromBytes(in.bytes(ContentId.BYTES, "parent id")) : null;
    RedundancyPolicy redundancy = readRedundancy(in, format);
    boolean withIds = format == FORMAT_WITH_COLUMN_IDS;
    TableSchema schema = readSchema(in, withIds);
    List<TableSchema> stored = withIds ? readStoredSchemas(in, schema) : List.of();
    List<BatchRef> batches = readBatches(in, schema, withIds, stored,
        format != FORMAT_WITHOUT_CHUNK_ROOTS, redundancy.shardCount());
    if (withIds) {
      checkCanonical(in, schema, stored, batches);
    }
    if (in.remaining() != 0) {
      throw in.error(in.remaining() + " bytes after the last batch, before the signature");
    }
    return new Manifest(tableName, writerKey, version, parentId, createdAtMillis,
        refreshEveryMillis, schema, redundancy, batches);
  }

  private static RedundancyPolicy readRedundancy(ByteSource in, int format) {
    int kind = in.u8("redundancy kind");
    int expected = format == FORMAT_WITH_SHARDS
        ? RedundancyPolicy.Kind.ERASURE.code() : RedundancyPolicy.Kind.REPLICAS.code();
    if (format == FORMAT_WITH_COLUMN_IDS && kind == RedundancyPolicy.Kind.ERASURE.code()) {
      expected = kind; // format 4 holds either policy
    }
    if (kind != expected) {
      throw in.error("redundancy kind " + kind + " in format " + format + "; that format "
          + "holds only kind " + expected);
    }
    if (kind == RedundancyPolicy.Kind.ERASURE.code()) {
      int dataShards = in.u8("data shards");
      return RedundancyPolicy.erasure(dataShards, in.u8("parity shards"));
    }
    return RedundancyPolicy.replicas(in.u8("replicas"));
  }

  private static TableSchema readSchema(ByteSource in, boolean withIds) {
    int count = in.u16("column count");
    int columnBytesMin = withIds ? COLUMN_WITH_ID_BYTES_MIN : COLUMN_BYTES_MIN;
    if (count < 1 || count > TableSchema.COLUMNS_MAX
        || (long) count * columnBytesMin > in.remaining()) {
      throw in.error("column count " + count + " is not 1 to " + TableSchema.COLUMNS_MAX
          + " or exceeds the bytes that remain");
    }
    List<Column> columns = new ArrayList<>(count);
    List<Integer> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (withIds) {
        long id = in.u32("column id");
        if (id > TableSchema.COLUMN_ID_MAX) {
          throw in.error("column id " + id + " exceeds " + TableSchema.COLUMN_ID_MAX);
        }
        ids.add((int) id);
      } else {
        ids.add(i);
      }
      String name = in.string(1, Column.NAME_BYTES_MAX, "column name");
      ColumnType.Kind kind = ColumnType.Kind.fromCode(in.u8("column type"));
      ColumnType type = kind == ColumnType.Kind.DECIMAL
          ? ColumnType.decimal(in.u8("precision"), in.u8("scale"))
          : ColumnType.of(kind, 0, 0);
      columns.add(new Column(name, type, in.bool("nullable")));
    }
    return new TableSchema(columns, ids);
  }

  /** Reads format 4's list of batches' own stored schemas. */
  private static List<TableSchema> readStoredSchemas(ByteSource in, TableSchema table) {
    int count = in.u16("stored schema count");
    if ((long) count * (2 + COLUMN_WITH_ID_BYTES_MIN) > in.remaining()) {
      throw in.error("stored schema count " + count + " exceeds the bytes that remain");
    }
    List<TableSchema> stored = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      stored.add(readSchema(in, true));
    }
    return stored;
  }

  /**
   * Rejects a format 4 body that another spelling of the same manifest would beat: stored
   * schemas repeated, equal to the table's, unused or listed out of the order batches first
   * use them, and column ids that need no format 4 at all (an older format holds them).
   */
  private static void checkCanonical(ByteSource in, TableSchema table, List<TableSchema> stored,
      List<BatchRef> batches) {
    LinkedHashSet<TableSchema> used = new LinkedHashSet<>();
    for (BatchRef batch : batches) {
      if (batch.stored() != null) {
        used.add(batch.stored());
      }
    }
    if (stored.contains(table) || !new ArrayList<>(used).equals(stored)) {
      throw in.error("stored schemas must differ from the table's and each other and be"
          + " listed once each in the order batches first use them");
    }
    if (stored.isEmpty() && table.hasPositionalIds()) {
      throw in.error("format 4 without evolved columns; an older format holds this manifest");
    }
  }

  private static List<BatchRef> readBatches(ByteSource in, TableSchema schema,
      boolean withIds, List<TableSchema> storedSchemas, boolean withChunkRoots,
      int shardCount) {
    long count = in.u32("batch count");
    // A batch of format 4 holds its stored-schema index and at least one column's statistics.
    long statsBytesMin = withIds ? 2 + STATS_BYTES_MIN : (long) schema.size() * STATS_BYTES_MIN;
    long batchBytesMin = BATCH_BYTES_MIN + (withChunkRoots ? ContentId.BYTES : 0)
        + (long) shardCount * ContentId.BYTES + statsBytesMin;
    if (count > Manifest.BATCHES_MAX || count * batchBytesMin > in.remaining()) {
      throw in.error("batch count " + count + " exceeds " + Manifest.BATCHES_MAX
          + " or the bytes that remain (" + in.remaining() + ")");
    }
    List<BatchRef> batches = new ArrayList<>((int) count);
    for (long b = 0; b < count; b++) {
      ContentId id = ContentId.fromBytes(in.bytes(ContentId.BYTES, "batch id"));
      long byteSize = in.u63("batch byte size");
      long rowCount = in.u63("batch row count");
      ContentId chunkRoot = withChunkRoots ? readChunkRoot(in) : null;
      List<ContentId> shards = new ArrayList<>(shardCount);
      for (int s = 0; s < shardCount; s++) {
        shards.add(ContentId.fromBytes(in.bytes(ContentId.BYTES, "shard id")));
      }
      TableSchema stored = null;
      if (withIds) {
        int index = in.u16("stored schema");
        if (index > storedSchemas.size()) {
          throw in.error("stored schema " + index + " of " + storedSchemas.size());
        }
        stored = index == 0 ? null : storedSchemas.get(index - 1);
      }
      TableSchema columns = stored == null ? schema : stored;
      List<ColumnStats> stats = new ArrayList<>(columns.size());
      for (Column column : columns.columns()) {
        stats.add(readStats(in, column.type(), rowCount));
      }
      batches.add(new BatchRef(id, byteSize, rowCount, chunkRoot, stats, shards, stored));
    }
    return batches;
  }

  private static ContentId readChunkRoot(ByteSource in) {
    byte[] root = in.bytes(ContentId.BYTES, "chunk root");
    return java.util.Arrays.equals(root, NO_CHUNK_ROOT) ? null : ContentId.fromBytes(root);
  }

  private static ColumnStats readStats(ByteSource in, ColumnType type, long rowCount) {
    long nullCount = in.u63("null count");
    if (nullCount > rowCount) {
      throw in.error("null count " + nullCount + " exceeds row count " + rowCount);
    }
    int presence = in.u8("bound presence");
    if ((presence & ~(PRESENT_MIN | PRESENT_MAX)) != 0) {
      throw in.error("bound presence " + presence + " sets reserved bits");
    }
    Object min = (presence & PRESENT_MIN) != 0 ? StatValues.read(in, type, "min") : null;
    Object max = (presence & PRESENT_MAX) != 0 ? StatValues.read(in, type, "max") : null;
    return new ColumnStats(nullCount, min, max);
  }
}
