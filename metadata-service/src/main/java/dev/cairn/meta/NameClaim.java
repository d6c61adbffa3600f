package dev.cairn.meta;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.message.MetaMessages;
import dev.cairn.wire.message.MetaMessages.ClaimName;

/**
 * A publisher name bound to a writer key, with the writer's signature that proves the key
 * asked for it. Anyone can re-check it, which is why peers and readers get the signature too.
 */
record NameClaim(String name, PublicKey writerKey, byte[] signature) {
  NameClaim {
    MetaMessages.checkSchemaName(name);
    requireNonNull(writerKey, "writerKey");
    signature = requireNonNull(signature, "signature").clone();
  }

  /** Builds a claim from a CLAIM_NAME request; BAD_FORMAT if the key is not a key. */
  static NameClaim of(ClaimName request) {
    return new NameClaim(request.name(), PublicKey.fromBytes(request.writerKey()),
        request.signature());
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** Throws BAD_SIGNATURE unless the writer key signed this name. */
  void verify() {
    writerKey.checkSignature(SignatureDomain.CLAIM_NAME, ClaimName.signedMessage(name),
        signature, "claim of the name '" + name + "'");
  }

  /** Returns this claim as the wire record (also how the head log stores it). */
  ClaimName toMessage() {
    return new ClaimName(name, writerKey.toBytes(), signature);
  }
}
