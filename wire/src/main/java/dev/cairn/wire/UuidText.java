package dev.cairn.wire;

import java.util.UUID;

/**
 * Converts between a UUID's 16 bytes (big-endian, in the order of its text) and its text. The
 * text read is what DuckDB casts to UUID: 32 hex digits in any case, with the hyphens of the
 * 8-4-4-4-12 form or without any, optionally in braces; the text written is the canonical
 * lower-case 8-4-4-4-12 form.
 */
public final class UuidText {
  private static final int[] HYPHENS = {8, 13, 18, 23};
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private UuidText() {}

  /** Returns the 16 bytes of {@code text}, or null if it is not a UUID's text. */
  public static byte[] parseOrNull(String text) {
    String s = text.strip();
    if (s.length() >= 2 && s.charAt(0) == '{' && s.charAt(s.length() - 1) == '}') {
      s = s.substring(1, s.length() - 1);
    }
    if (s.length() == 36) {
      for (int hyphen : HYPHENS) {
        if (s.charAt(hyphen) != '-') {
          return null;
        }
      }
      s = s.replace("-", "");
    }
    if (s.length() != 32) {
      return null;
    }
    byte[] bytes = new byte[ColumnType.UUID_BYTES];
    for (int i = 0; i < bytes.length; i++) {
      int high = Character.digit(s.charAt(2 * i), 16);
      int low = Character.digit(s.charAt(2 * i + 1), 16);
      if (high < 0 || low < 0) {
        return null;
      }
      bytes[i] = (byte) (high << 4 | low);
    }
    return bytes;
  }

  /** Returns the 16 bytes of {@code text}, or throws BAD_FORMAT naming {@code where}. */
  public static byte[] parse(String text, String where) {
    byte[] bytes = parseOrNull(text);
    if (bytes == null) {
      throw new CairnException(ErrorCode.BAD_FORMAT, where + ": '" + text + "' is not a UUID");
    }
    return bytes;
  }

  /** Returns the canonical lower-case text of 16 bytes. */
  public static String format(byte[] bytes) {
    if (bytes.length != ColumnType.UUID_BYTES) {
      throw new IllegalArgumentException("a UUID has 16 bytes, not " + bytes.length);
    }
    StringBuilder text = new StringBuilder(36);
    for (int i = 0; i < bytes.length; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        text.append('-');
      }
      text.append(HEX[(bytes[i] >> 4) & 0xF]).append(HEX[bytes[i] & 0xF]);
    }
    return text.toString();
  }

  /** Returns true if {@code text} is a UUID's canonical lower-case text. */
  public static boolean isCanonical(String text) {
    byte[] bytes = text.length() == 36 ? parseOrNull(text) : null;
    return bytes != null && format(bytes).equals(text);
  }

  /** Returns the 16 bytes of {@code uuid}. */
  public static byte[] bytes(UUID uuid) {
    byte[] bytes = new byte[ColumnType.UUID_BYTES];
    long msb = uuid.getMostSignificantBits();
    long lsb = uuid.getLeastSignificantBits();
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (msb >>> (56 - 8 * i));
      bytes[8 + i] = (byte) (lsb >>> (56 - 8 * i));
    }
    return bytes;
  }

  /** Returns the UUID of 16 bytes. */
  public static UUID uuid(byte[] bytes) {
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = msb << 8 | (bytes[i] & 0xFF);
      lsb = lsb << 8 | (bytes[8 + i] & 0xFF);
    }
    return new UUID(msb, lsb);
  }
}
