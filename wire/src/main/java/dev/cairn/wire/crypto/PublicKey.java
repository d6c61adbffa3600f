package dev.cairn.wire.crypto;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 public key (RFC 8032): 32 bytes, the encoded curve point. Writers, donor nodes and
 * the metadata service are all named by one. Printed as 64 lowercase hex characters; people
 * usually see its {@link Fingerprint} instead.
 *
 * <p>Bytes that do not decode to a curve point are refused when the key is built, with
 * BAD_FORMAT, so that every {@code PublicKey} can at least attempt a verification.
 */
public final class PublicKey {
  /** Length of a public key in bytes. */
  public static final int BYTES = 32;
  /** Length of a signature in bytes. */
  public static final int SIGNATURE_BYTES = 64;

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;
  private final Ed25519PublicKeyParameters parameters;

  private PublicKey(byte[] bytes, Ed25519PublicKeyParameters parameters) {
    this.bytes = bytes;
    this.parameters = parameters;
  }

  /** Wraps 32 raw key bytes (copied); throws BAD_FORMAT if they are not a valid point. */
  public static PublicKey fromBytes(byte[] raw) {
    requireNonNull(raw, "raw");
    if (raw.length != BYTES) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "an Ed25519 public key is " + BYTES + " bytes, got " + raw.length);
    }
    byte[] copy = raw.clone();
    try {
      return new PublicKey(copy, new Ed25519PublicKeyParameters(copy, 0));
    } catch (IllegalArgumentException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "bytes are not an Ed25519 public key: " + HEX.formatHex(copy), e);
    }
  }

  /** Parses the printed form: exactly 64 lowercase hex characters. */
  public static PublicKey parse(String hex) {
    requireNonNull(hex, "hex");
    if (hex.length() != BYTES * 2 || !isLowercaseHex(hex)) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "a public key is " + BYTES * 2 + " lowercase hex characters");
    }
    return fromBytes(HEX.parseHex(hex));
  }

  static boolean isLowercaseHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** Returns true if {@code signature} is this key's signature of {@code message} in domain. */
  public boolean verify(SignatureDomain domain, byte[] message, byte[] signature) {
    requireNonNull(domain, "domain");
    requireNonNull(message, "message");
    requireNonNull(signature, "signature");
    if (signature.length != SIGNATURE_BYTES) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, parameters);
    byte[] prefix = domain.prefixUnsafe();
    verifier.update(prefix, 0, prefix.length);
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  /** Throws BAD_SIGNATURE unless {@link #verify} holds; {@code what} names the signed thing. */
  public void checkSignature(SignatureDomain domain, byte[] message, byte[] signature,
      String what) {
    if (!verify(domain, message, signature)) {
      throw new CairnException(ErrorCode.BAD_SIGNATURE, what + " is not signed by key "
          + fingerprint() + " (" + toHex() + ") in domain " + domain.tag());
    }
  }

  /** Throws BAD_SIGNATURE unless {@link #verify} holds. */
  public void checkSignature(SignatureDomain domain, byte[] message, byte[] signature) {
    checkSignature(domain, message, signature, "message");
  }

  /** Returns the short printable name of this key. */
  public Fingerprint fingerprint() {
    return Fingerprint.ofKey(bytes);
  }

  /** Returns a copy of the 32 raw bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Returns the 64-character lowercase hex form. */
  public String toHex() {
    return HEX.formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicKey && Arrays.equals(bytes, ((PublicKey) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
