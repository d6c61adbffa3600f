package dev.cairn.client.net;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.manifest.HeadTimestamp;
import dev.cairn.wire.manifest.HeadValidity;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.message.MetaMessages.ClaimName;
import dev.cairn.wire.message.MetaMessages.TableHead;

/**
 * A table version a metadata service returned, checked here: the manifest's own signature
 * ({@link ManifestCodec#decode}) and the claim signature that binds the publisher (schema) name
 * to the manifest's writer key. A metadata service can withhold versions but cannot forge
 * one that passes {@link #verify}.
 *
 * @param schema the publisher name the writer key claimed
 * @param claimSignature the writer key's CLAIM_NAME signature of {@code schema}
 * @param signed the verified manifest
 * @param timestamp the newest verified head timestamp offered for exactly this manifest, or
 *     null (docs/protocol.md 4.7)
 */
public record VerifiedHead(String schema, byte[] claimSignature, SignedManifest signed,
    HeadTimestamp timestamp) {
  public VerifiedHead {
    requireNonNull(schema, "schema");
    requireNonNull(claimSignature, "claimSignature");
    requireNonNull(signed, "signed");
    if (timestamp != null && !timestamp.matches(signed)) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "timestamp " + timestamp
          + " is not about manifest " + signed.id().toShortHex());
    }
  }

  /** Creates a head without a timestamp. */
  public VerifiedHead(String schema, byte[] claimSignature, SignedManifest signed) {
    this(schema, claimSignature, signed, null);
  }

  /** Returns this head with {@code newer} if it matches and extends the validity, else as is. */
  public VerifiedHead withTimestamp(HeadTimestamp newer) {
    if (newer == null || !newer.matches(signed)
        || (timestamp != null && timestamp.validUntilMillis() >= newer.validUntilMillis())) {
      return this;
    }
    return new VerifiedHead(schema, claimSignature, signed, newer);
  }

  /** Returns when this head expires (skew allowance not included); MAX_VALUE if never. */
  public long expiresAtMillis() {
    return HeadValidity.expiresAtMillis(signed, timestamp);
  }

  /**
   * Throws FROZEN if this head, read as its table's current version, has outlived its writer's
   * freshness promise at {@code nowMillis}.
   */
  public void checkNotFrozen(long nowMillis) {
    HeadValidity.checkNotFrozen(schema, signed, timestamp, nowMillis);
  }

  /**
   * Returns the better of two heads of one table: the higher version, or for the same version
   * the one valid longer (two services may hold different timestamps of one head).
   */
  public static VerifiedHead newer(VerifiedHead a, VerifiedHead b) {
    if (a.version() != b.version()) {
      return a.version() > b.version() ? a : b;
    }
    return a.expiresAtMillis() >= b.expiresAtMillis() ? a : b;
  }

  /** Returns the signed form a service sends, so it can be stored and verified again later. */
  public TableHead toTableHead() {
    return new TableHead(schema, claimSignature, signed.encoded());
  }

  /** Returns the table name. */
  public String table() {
    return signed.manifest().tableName();
  }

  public long version() {
    return signed.manifest().version();
  }

  /** Returns the manifest id. */
  public ContentId id() {
    return signed.id();
  }

  /**
   * Verifies one entry of a reply; throws BAD_SIGNATURE or BAD_FORMAT if it is not genuine.
   * {@code schema} and {@code table}, when not null, must be what the entry is about, so a
   * service cannot answer a question about one table with another table's head.
   */
  public static VerifiedHead verify(TableHead head, String schema, String table) {
    if (schema != null && !schema.equals(head.schema())) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "asked for schema '" + schema
          + "' but got '" + head.schema() + "'");
    }
    SignedManifest signed = ManifestCodec.decode(head.manifest());
    if (table != null && !table.equals(signed.manifest().tableName())) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "asked for table '" + table
          + "' but got '" + signed.manifest().tableName() + "'");
    }
    signed.manifest().writerKey().checkSignature(SignatureDomain.CLAIM_NAME,
        ClaimName.signedMessage(head.schema()), head.claimSignature(),
        "claim of schema '" + head.schema() + "'");
    return new VerifiedHead(head.schema(), head.claimSignature(), signed);
  }
}
