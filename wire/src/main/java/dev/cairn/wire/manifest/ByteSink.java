package dev.cairn.wire.manifest;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer that refuses to grow past a hard limit, so encoding an
 * absurd manifest fails with BAD_FORMAT instead of exhausting the heap.
 */
final class ByteSink {
  private final int limitBytes;
  private byte[] buffer = new byte[256];
  private int size;

  ByteSink(int limitBytes) {
    this.limitBytes = limitBytes;
  }

  private void ensure(int more) {
    long needed = (long) size + more;
    if (needed > limitBytes) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "encoding exceeds the limit of " + limitBytes + " bytes");
    }
    if (needed > buffer.length) {
      long grown = Math.max(needed, Math.min((long) buffer.length * 2, limitBytes));
      buffer = Arrays.copyOf(buffer, (int) grown);
    }
  }

  void u8(int value) {
    ensure(1);
    buffer[size++] = (byte) value;
  }

  void u16(int value) {
    ensure(2);
    buffer[size++] = (byte) (value >>> 8);
    buffer[size++] = (byte) value;
  }

  void u32(long value) {
    i32((int) value);
  }

  void i32(int value) {
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      buffer[size++] = (byte) (value >>> shift);
    }
  }

  void i64(long value) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buffer[size++] = (byte) (value >>> shift);
    }
  }

  void bool(boolean value) {
    u8(value ? 1 : 0);
  }

  void bytes(byte[] value) {
    ensure(value.length);
    System.arraycopy(value, 0, buffer, size, value.length);
    size += value.length;
  }

  /** Writes a u16 length and strict UTF-8; a lone surrogate is BAD_FORMAT, not a '?'. */
  void string(String value, int maxBytes, String field) {
    byte[] utf8 = strictUtf8(value, field);
    if (utf8.length > maxBytes) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          field + " is " + utf8.length + " UTF-8 bytes; the limit is " + maxBytes);
    }
    u16(utf8.length);
    bytes(utf8);
  }

  static byte[] strictUtf8(String value, String field) {
    try {
      ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(value));
      byte[] out = new byte[encoded.remaining()];
      encoded.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          field + " is not valid Unicode (lone surrogate)", e);
    }
  }

  int size() {
    return size;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }
}
