package dev.cairn.wire.manifest;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A strict big-endian reader over a byte range. Every read checks the remaining bytes first and
 * every failure is BAD_FORMAT naming the field and offset, so a decoder built on it cannot throw
 * anything else nor allocate more than the input justifies.
 */
final class ByteSource {
  private final byte[] data;
  private final int end;
  private int position;

  ByteSource(byte[] data, int offset, int end) {
    this.data = data;
    this.position = offset;
    this.end = end;
  }

  int position() {
    return position;
  }

  int remaining() {
    return end - position;
  }

  CairnException error(String problem) {
    return new CairnException(ErrorCode.BAD_FORMAT, "manifest at byte " + position + ": "
        + problem);
  }

  private void need(int count, String field) {
    if (count > remaining()) {
      throw error(field + " needs " + count + " bytes but only " + remaining() + " remain");
    }
  }

  int u8(String field) {
    need(1, field);
    return data[position++] & 0xff;
  }

  int u16(String field) {
    need(2, field);
    int value = (data[position] & 0xff) << 8 | (data[position + 1] & 0xff);
    position += 2;
    return value;
  }

  int i32(String field) {
    need(4, field);
    int value = 0;
    for (int i = 0; i < 4; i++) {
      value = value << 8 | (data[position++] & 0xff);
    }
    return value;
  }

  long u32(String field) {
    return i32(field) & 0xffff_ffffL;
  }

  long i64(String field) {
    need(8, field);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = value << 8 | (data[position++] & 0xff);
    }
    return value;
  }

  /** Reads a u64 that must fit a Java long: Cairn never stores counts of 2^63 or more. */
  long u63(String field) {
    int start = position;
    long value = i64(field);
    if (value < 0) {
      position = start;
      throw error(field + " exceeds 2^63-1");
    }
    return value;
  }

  boolean bool(String field) {
    int value = u8(field);
    if (value > 1) {
      position--;
      throw error(field + " is a boolean and must be 0 or 1, not " + value);
    }
    return value == 1;
  }

  byte[] bytes(int count, String field) {
    need(count, field);
    byte[] out = new byte[count];
    System.arraycopy(data, position, out, 0, count);
    position += count;
    return out;
  }

  /** Reads a u16 length (checked against {@code maxBytes} first) and strict UTF-8. */
  String string(int minBytes, int maxBytes, String field) {
    int length = u16(field + " length");
    if (length < minBytes || length > maxBytes) {
      throw error(field + " must be " + minBytes + " to " + maxBytes + " bytes, not " + length);
    }
    need(length, field);
    try {
      String value = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data, position, length))
          .toString();
      position += length;
      return value;
    } catch (CharacterCodingException e) {
      throw error(field + " is not valid UTF-8");
    }
  }
}
