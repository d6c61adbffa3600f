package dev.cairn.wire.message;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.Payloads;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Field readers that the request and reply payloads share on top of {@link Payloads}: counts
 * checked against their limit and against the bytes left before a list is allocated, ids,
 * keys, and length-prefixed byte strings.
 */
final class Fields {
  /** Size of an Ed25519 public key or node id on the wire. */
  static final int KEY_BYTES = 32;
  /** Size of an Ed25519 signature. */
  static final int SIGNATURE_BYTES = 64;

  private Fields() {}

  /** Reads a {@code u32} count of elements each at least {@code elementBytes} long. */
  static int readCount(ByteBuf buffer, int countMax, int elementBytes, String field) {
    if (buffer.readableBytes() < 4) {
      throw new CairnException(ErrorCode.BAD_FRAME, field + " count is truncated");
    }
    long count = buffer.readUnsignedInt();
    if (count > countMax) {
      throw new CairnException(ErrorCode.BAD_FRAME,
          field + " count " + count + " exceeds the maximum " + countMax);
    }
    if (count * elementBytes > buffer.readableBytes()) {
      throw new CairnException(ErrorCode.BAD_FRAME, field + " count " + count
          + " needs more bytes than the " + buffer.readableBytes() + " left");
    }
    return (int) count;
  }

  /** Reads a {@code u32}. */
  static long readU32(ByteBuf buffer, String field) {
    if (buffer.readableBytes() < 4) {
      throw new CairnException(ErrorCode.BAD_FRAME, field + " is truncated");
    }
    return buffer.readUnsignedInt();
  }

  static ContentId readId(ByteBuf buffer, String field) {
    return ContentId.fromBytes(Payloads.readBytes(buffer, ContentId.BYTES, field));
  }

  static void writeId(ByteBuf buffer, ContentId id) {
    buffer.writeBytes(id.toBytes());
  }

  static List<ContentId> readIds(ByteBuf buffer, int countMax, String field) {
    int count = readCount(buffer, countMax, ContentId.BYTES, field);
    List<ContentId> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ids.add(readId(buffer, field));
    }
    return ids;
  }

  static void writeIds(ByteBuf buffer, List<ContentId> ids) {
    buffer.writeInt(ids.size());
    for (ContentId id : ids) {
      writeId(buffer, id);
    }
  }

  static byte[] readKey(ByteBuf buffer, String field) {
    return Payloads.readBytes(buffer, KEY_BYTES, field);
  }

  static byte[] readSignature(ByteBuf buffer, String field) {
    return Payloads.readBytes(buffer, SIGNATURE_BYTES, field);
  }

  /** Reads {@code u32 length, bytes[length]} with length at most {@code bytesMax}. */
  static byte[] readSized(ByteBuf buffer, int bytesMax, String field) {
    long length = readU32(buffer, field + " length");
    if (length > bytesMax) {
      throw new CairnException(ErrorCode.BAD_FRAME,
          field + " is " + length + " bytes, the maximum is " + bytesMax);
    }
    return Payloads.readBytes(buffer, (int) length, field);
  }

  static void writeSized(ByteBuf buffer, byte[] bytes) {
    buffer.writeInt(bytes.length);
    buffer.writeBytes(bytes);
  }

  static void requireLength(byte[] bytes, int length, String field) {
    if (bytes == null || bytes.length != length) {
      throw new IllegalArgumentException(field + " must be " + length + " bytes");
    }
  }
}
