package dev.cairn.wire.crypto;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;

/**
 * A short printable name of a public key, for people: admins type it in
 * {@code --quota FINGERPRINT=SIZE}, logs and tables print it.
 *
 * <p>It is the first {@value #BYTES} bytes of SHA-256(the 32 public key bytes), written in RFC
 * 4648 base32 with the lowercase alphabet {@code a-z2-7} and no padding: exactly
 * {@value #CHARS} characters. 80 bits is 16 × 5, so there are no leftover bits and every
 * 16-character string over the alphabet is the one canonical form of exactly one fingerprint.
 * 80 bits resist accidental collisions among any realistic number of keys; a fingerprint names
 * a key for configuration, it is never what a signature is checked against (that is always the
 * full key).
 *
 * <p>{@link #parse} is strict (no uppercase, no padding, no blanks) so that a typo is an error
 * rather than a quota silently given to nobody.
 */
public final class Fingerprint {
  /** Hash bytes kept. */
  public static final int BYTES = 10;
  /** Characters of the printed form. */
  public static final int CHARS = 16;

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  private static final int BITS_PER_CHAR = 5;

  private final String text;

  private Fingerprint(String text) {
    this.text = text;
  }

  /** Returns the fingerprint of a 32-byte public key. */
  static Fingerprint ofKey(byte[] publicKeyBytes) {
    byte[] hash = ContentId.sha256(publicKeyBytes).toBytes();
    return new Fingerprint(encode(hash, BYTES));
  }

  /** Parses the printed form: exactly 16 characters from {@code a-z} and {@code 2-7}. */
  public static Fingerprint parse(String text) {
    requireNonNull(text, "text");
    if (text.length() != CHARS) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "a key fingerprint is " + CHARS
          + " characters of a-z and 2-7, got " + text.length() + " characters: '" + text + "'");
    }
    for (int i = 0; i < CHARS; i++) {
      if (ALPHABET.indexOf(text.charAt(i)) < 0) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "a key fingerprint is " + CHARS
            + " characters of a-z and 2-7; character " + (i + 1) + " of '" + text
            + "' is not one");
      }
    }
    return new Fingerprint(text);
  }

  /** Encodes the first {@code length} bytes (a multiple of 5) in lowercase unpadded base32. */
  static String encode(byte[] data, int length) {
    StringBuilder out = new StringBuilder(length * 8 / BITS_PER_CHAR);
    int buffer = 0;
    int bits = 0;
    for (int i = 0; i < length; i++) {
      buffer = (buffer << 8) | (data[i] & 0xff);
      bits += 8;
      while (bits >= BITS_PER_CHAR) {
        bits -= BITS_PER_CHAR;
        out.append(ALPHABET.charAt((buffer >>> bits) & 0x1f));
      }
    }
    if (bits > 0) {
      out.append(ALPHABET.charAt((buffer << (BITS_PER_CHAR - bits)) & 0x1f));
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fingerprint && text.equals(((Fingerprint) o).text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** Returns the 16-character printed form. */
  @Override
  public String toString() {
    return text;
  }
}
