package dev.cairn.wire.frame;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounded readers and writers for the field types of docs/protocol.md section 1, shared by all
 * payload codecs so that each check is written once.
 *
 * <p>Every reader checks that the bytes it needs are there before it reads or allocates, and
 * fails with {@code BAD_FRAME} naming the field. Example: a {@code string} field holding "abc"
 * is {@code 0003 616263}; {@code readString(buffer, 2, "name")} refuses it (3 bytes &gt; 2)
 * before copying anything.
 */
public final class Payloads {
  private Payloads() {}

  /** Reads a {@code u8}. */
  public static int readU8(ByteBuf buffer, String field) {
    require(buffer, 1, field);
    return buffer.readUnsignedByte();
  }

  /** Reads a {@code u16}. */
  public static int readU16(ByteBuf buffer, String field) {
    require(buffer, 2, field);
    return buffer.readUnsignedShort();
  }

  /** Reads a {@code u64} as a Java long (values above 2^63-1 come out negative). */
  public static long readU64(ByteBuf buffer, String field) {
    require(buffer, 8, field);
    return buffer.readLong();
  }

  /** Reads a {@code u8} boolean: exactly 0 or 1, anything else is {@code BAD_FRAME}. */
  public static boolean readBoolean(ByteBuf buffer, String field) {
    int value = readU8(buffer, field);
    if (value > 1) {
      throw new CairnException(ErrorCode.BAD_FRAME, field + " must be 0 or 1, got " + value);
    }
    return value == 1;
  }

  /** Reads {@code bytes[count]} into a new array. */
  public static byte[] readBytes(ByteBuf buffer, int count, String field) {
    require(buffer, count, field);
    byte[] bytes = new byte[count];
    buffer.readBytes(bytes);
    return bytes;
  }

  /** Reads a {@code string} of at most {@code maxBytes} bytes of valid UTF-8. */
  public static String readString(ByteBuf buffer, int maxBytes) {
    return readString(buffer, maxBytes, "string");
  }

  /** Reads a {@code string} field of at most {@code maxBytes} bytes of valid UTF-8. */
  public static String readString(ByteBuf buffer, int maxBytes, String field) {
    int length = readU16(buffer, field + " length");
    if (length > maxBytes) {
      throw new CairnException(ErrorCode.BAD_FRAME,
          field + " is " + length + " bytes, the maximum is " + maxBytes);
    }
    require(buffer, length, field);
    ByteBuffer bytes = buffer.nioBuffer(buffer.readerIndex(), length);
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      String value = decoder.decode(bytes).toString();
      buffer.skipBytes(length);
      return value;
    } catch (CharacterCodingException e) {
      throw new CairnException(ErrorCode.BAD_FRAME, field + " is not valid UTF-8", e);
    }
  }

  /**
   * Writes {@code value} as a {@code string}; a value over {@code maxBytes} bytes of UTF-8 or
   * one holding an unpaired surrogate (which has no UTF-8 form) is {@code BAD_FORMAT}.
   */
  public static void writeString(ByteBuf buffer, String value, int maxBytes) {
    byte[] bytes = utf8(value);
    if (bytes.length > maxBytes) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "string of " + bytes.length + " bytes exceeds the maximum " + maxBytes);
    }
    buffer.writeShort(bytes.length);
    buffer.writeBytes(bytes);
  }

  /** Throws {@code BAD_FRAME} unless every byte of {@code buffer} was consumed. */
  public static void requireFullyRead(ByteBuf buffer, String message) {
    if (buffer.isReadable()) {
      throw new CairnException(ErrorCode.BAD_FRAME,
          message + " has " + buffer.readableBytes() + " trailing bytes");
    }
  }

  /** Returns the UTF-8 form of {@code value}; {@code BAD_FORMAT} for an unpaired surrogate. */
  static byte[] utf8(String value) {
    CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      ByteBuffer encoded = encoder.encode(CharBuffer.wrap(value));
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      return bytes;
    } catch (CharacterCodingException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "string has no UTF-8 form", e);
    }
  }

  private static void require(ByteBuf buffer, int count, String field) {
    if (buffer.readableBytes() < count) {
      throw new CairnException(ErrorCode.BAD_FRAME, "truncated " + field + ": needs " + count
          + " bytes, " + buffer.readableBytes() + " left");
    }
  }
}
