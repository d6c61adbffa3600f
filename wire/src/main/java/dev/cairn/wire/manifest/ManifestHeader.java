package dev.cairn.wire.manifest;

import dev.cairn.wire.crypto.PublicKey;
import java.util.Arrays;

/**
 * The first fields of an encoded manifest (table name, writer key, version), read without
 * parsing or verifying the rest: for a holder of manifests it already verified, to find one
 * cheaply, never to trust bytes from the network (use {@link ManifestCodec#decode} for that).
 *
 * @param tableName the table name
 * @param writerKey the writer key
 * @param version the version
 */
public record ManifestHeader(String tableName, PublicKey writerKey, long version) {
  /** Reads the header of {@code encoded} (format 1 to 4); BAD_FORMAT if it has none. */
  public static ManifestHeader peek(byte[] encoded) {
    ByteSource in = new ByteSource(encoded, 0, encoded.length);
    if (!Arrays.equals(in.bytes(ManifestCodec.MAGIC.length, "magic"), ManifestCodec.MAGIC)) {
      throw in.error("not a Cairn manifest (magic is not 'CAIRNMF')");
    }
    int format = in.u8("format version");
    if (format < Manifest.FORMAT_VERSION_MIN || format > Manifest.FORMAT_VERSION) {
      throw in.error("manifest format " + format + " is not supported");
    }
    String tableName = in.string(1, Manifest.TABLE_NAME_BYTES_MAX, "table name");
    PublicKey writerKey = PublicKey.fromBytes(in.bytes(PublicKey.BYTES, "writer key"));
    return new ManifestHeader(tableName, writerKey, in.u63("version"));
  }
}
