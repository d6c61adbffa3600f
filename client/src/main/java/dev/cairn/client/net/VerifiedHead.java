package dev.cairn.client.net;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SignatureDomain;
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
 */
public record VerifiedHead(String schema, byte[] claimSignature, SignedManifest signed) {
  public VerifiedHead {
    requireNonNull(schema, "schema");
    requireNonNull(claimSignature, "claimSignature");
    requireNonNull(signed, "signed");
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
