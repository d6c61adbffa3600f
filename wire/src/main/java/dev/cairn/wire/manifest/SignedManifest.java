package dev.cairn.wire.manifest;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.ContentId;
import java.util.Arrays;

/**
 * A manifest together with its writer's signature and its exact encoded bytes (body followed
 * by the 64-byte signature). Only {@link ManifestCodec} makes one, after signing or after
 * decoding and verifying, so holding a {@code SignedManifest} means its signature is good.
 *
 * <p>Its {@link #id()} is the SHA-256 of all the encoded bytes, signature included: the id
 * names exactly the bytes donors store and serve, and a child version's parent id names them.
 */
public final class SignedManifest {
  private final Manifest manifest;
  private final byte[] signature;
  private final byte[] encoded;
  private final ContentId id;

  SignedManifest(Manifest manifest, byte[] signature, byte[] encoded) {
    this.manifest = requireNonNull(manifest, "manifest");
    this.signature = requireNonNull(signature, "signature").clone();
    this.encoded = requireNonNull(encoded, "encoded").clone();
    this.id = ContentId.sha256(this.encoded);
  }

  public Manifest manifest() {
    return manifest;
  }

  /** Returns a copy of the 64-byte Ed25519 signature. */
  public byte[] signature() {
    return signature.clone();
  }

  /** Returns a copy of the full encoding: body then signature. */
  public byte[] encoded() {
    return encoded.clone();
  }

  /** Returns the manifest id: SHA-256 of {@link #encoded()}. */
  public ContentId id() {
    return id;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedManifest && Arrays.equals(encoded, ((SignedManifest) o).encoded);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "SignedManifest{" + id.toShortHex() + ", " + manifest + "}";
  }
}
