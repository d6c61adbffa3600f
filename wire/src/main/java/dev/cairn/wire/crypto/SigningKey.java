package dev.cairn.wire.crypto;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 private key and its public key. The private key is the 32-byte RFC 8032 seed;
 * everything else (the scalar, the public key) is derived from it, so the seed is all a key
 * file stores. Ed25519 signing is deterministic: the same key, domain and message always give
 * the same signature, which is what lets the golden vectors pin signed bytes.
 *
 * <p>{@link #toString} never shows the seed.
 */
public final class SigningKey {
  /** Length of the private seed in bytes. */
  public static final int SEED_BYTES = 32;

  private final Ed25519PrivateKeyParameters parameters;
  private final PublicKey publicKey;

  private SigningKey(Ed25519PrivateKeyParameters parameters) {
    this.parameters = parameters;
    this.publicKey = PublicKey.fromBytes(parameters.generatePublicKey().getEncoded());
  }

  /** Creates a fresh key from {@code random}. */
  public static SigningKey generate(SecureRandom random) {
    requireNonNull(random, "random");
    return new SigningKey(new Ed25519PrivateKeyParameters(random));
  }

  /** Rebuilds the key whose seed is {@code seed} (32 bytes, copied). */
  public static SigningKey fromSeed(byte[] seed) {
    requireNonNull(seed, "seed");
    if (seed.length != SEED_BYTES) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "an Ed25519 seed is " + SEED_BYTES + " bytes, got " + seed.length);
    }
    return new SigningKey(new Ed25519PrivateKeyParameters(seed, 0));
  }

  /** Returns the public half. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** Returns the 64-byte signature of {@code "cairn/" + tag + 0x00 + message}. */
  public byte[] sign(SignatureDomain domain, byte[] message) {
    requireNonNull(domain, "domain");
    requireNonNull(message, "message");
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, parameters);
    byte[] prefix = domain.prefixUnsafe();
    signer.update(prefix, 0, prefix.length);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** Returns a copy of the secret seed; only key files need it. */
  byte[] seed() {
    return parameters.getEncoded();
  }

  @Override
  public String toString() {
    return "SigningKey{public=" + publicKey.toHex() + ", fingerprint="
        + publicKey.fingerprint() + "}";
  }
}
