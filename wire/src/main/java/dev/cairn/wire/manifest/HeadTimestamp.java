package dev.cairn.wire.manifest;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import java.util.Arrays;

/**
 * A writer's signed statement "the head of my table {@code tableName} is still version {@code
 * version}, manifest {@code manifestId}, until {@code validUntilMillis}": The Update
 * Framework's timestamp role, signed by the table's own writer key (docs/protocol.md, 4.7).
 * Re-signing one extends a head's validity without publishing a new version, so a metadata
 * service that withholds newer versions (a freeze) is noticed once the last timestamp lapses.
 *
 * <pre>
 * writerKey bytes[32] | tableName string (u16 length + ASCII) | version u64
 * manifestId bytes[32] | validUntilMillis i64 | signature bytes[64]
 * </pre>
 *
 * The signature is the writer key's, in domain {@code head-timestamp/v1}, over every byte
 * before it. Holding a {@code HeadTimestamp} from {@link #sign} or {@link #decode} means the
 * signature is good; whether it belongs to a given head is {@link #matches}.
 */
public final class HeadTimestamp {
  /** Largest encoding: key, longest name, version, id, validUntil, signature. */
  public static final int BYTES_MAX = PublicKey.BYTES + 2 + Manifest.TABLE_NAME_BYTES_MAX + 8
      + ContentId.BYTES + 8 + PublicKey.SIGNATURE_BYTES;

  private final PublicKey writerKey;
  private final String tableName;
  private final long version;
  private final ContentId manifestId;
  private final long validUntilMillis;
  private final byte[] encoded;

  private HeadTimestamp(PublicKey writerKey, String tableName, long version,
      ContentId manifestId, long validUntilMillis, byte[] encoded) {
    this.writerKey = writerKey;
    this.tableName = tableName;
    this.version = version;
    this.manifestId = manifestId;
    this.validUntilMillis = validUntilMillis;
    this.encoded = encoded;
  }

  /** Signs a timestamp for the head {@code head} valid until {@code validUntilMillis}. */
  public static HeadTimestamp sign(SignedManifest head, long validUntilMillis, SigningKey key) {
    requireNonNull(head, "head");
    requireNonNull(key, "key");
    Manifest manifest = head.manifest();
    if (!key.publicKey().equals(manifest.writerKey())) {
      throw new CairnException(ErrorCode.BAD_SIGNATURE, "refusing to sign a timestamp of "
          + "writer " + manifest.writerKey().fingerprint() + " with key "
          + key.publicKey().fingerprint());
    }
    byte[] body = body(manifest.writerKey(), manifest.tableName(), manifest.version(),
        head.id(), validUntilMillis);
    byte[] signature = key.sign(SignatureDomain.HEAD_TIMESTAMP, body);
    byte[] encoded = Arrays.copyOf(body, body.length + signature.length);
    System.arraycopy(signature, 0, encoded, body.length, signature.length);
    return new HeadTimestamp(manifest.writerKey(), manifest.tableName(), manifest.version(),
        head.id(), validUntilMillis, encoded);
  }

  /** Returns the bytes a writer signs for these fields. */
  static byte[] body(PublicKey writerKey, String tableName, long version, ContentId manifestId,
      long validUntilMillis) {
    ByteSink out = new ByteSink(BYTES_MAX - PublicKey.SIGNATURE_BYTES);
    out.bytes(writerKey.toBytes());
    out.string(tableName, Manifest.TABLE_NAME_BYTES_MAX, "table name");
    out.i64(version);
    out.bytes(manifestId.toBytes());
    out.i64(validUntilMillis);
    return out.toByteArray();
  }

  /**
   * Parses {@code encoded} strictly (BAD_FORMAT) and verifies its signature against the writer
   * key it names (BAD_SIGNATURE). Checks the length before reading anything.
   */
  public static HeadTimestamp decode(byte[] encoded) {
    requireNonNull(encoded, "encoded");
    if (encoded.length > BYTES_MAX || encoded.length < PublicKey.SIGNATURE_BYTES) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "a head timestamp is at most " + BYTES_MAX
          + " bytes and holds a signature, not " + encoded.length + " bytes");
    }
    int bodyLength = encoded.length - PublicKey.SIGNATURE_BYTES;
    ByteSource in = new ByteSource(encoded, 0, bodyLength);
    PublicKey writerKey = PublicKey.fromBytes(in.bytes(PublicKey.BYTES, "writer key"));
    String tableName = in.string(1, Manifest.TABLE_NAME_BYTES_MAX, "table name");
    Manifest.checkTableName(tableName);
    long version = in.u63("version");
    if (version < 1) {
      throw in.error("version must be at least 1, not " + version);
    }
    ContentId manifestId = ContentId.fromBytes(in.bytes(ContentId.BYTES, "manifest id"));
    long validUntilMillis = in.i64("valid until");
    if (in.remaining() != 0) {
      throw in.error(in.remaining() + " bytes after validUntil, before the signature");
    }
    byte[] body = Arrays.copyOf(encoded, bodyLength);
    byte[] signature = Arrays.copyOfRange(encoded, bodyLength, encoded.length);
    writerKey.checkSignature(SignatureDomain.HEAD_TIMESTAMP, body, signature,
        "head timestamp of table " + tableName + " version " + version);
    return new HeadTimestamp(writerKey, tableName, version, manifestId, validUntilMillis,
        encoded.clone());
  }

  /** Returns true if this timestamp speaks of exactly {@code head}: writer, name, version, id. */
  public boolean matches(SignedManifest head) {
    Manifest m = head.manifest();
    return writerKey.equals(m.writerKey()) && tableName.equals(m.tableName())
        && version == m.version() && manifestId.equals(head.id());
  }

  public PublicKey writerKey() {
    return writerKey;
  }

  public String tableName() {
    return tableName;
  }

  public long version() {
    return version;
  }

  /** Returns the id of the manifest this timestamp keeps valid. */
  public ContentId manifestId() {
    return manifestId;
  }

  /** Returns until when, in milliseconds since 1970-01-01T00:00Z, the head stays valid. */
  public long validUntilMillis() {
    return validUntilMillis;
  }

  /** Returns a copy of the encoding: body then signature. */
  public byte[] encoded() {
    return encoded.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeadTimestamp && Arrays.equals(encoded, ((HeadTimestamp) o).encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "HeadTimestamp{" + tableName + " v" + version + " " + manifestId.toShortHex()
        + " until " + java.time.Instant.ofEpochMilli(validUntilMillis) + "}";
  }
}
