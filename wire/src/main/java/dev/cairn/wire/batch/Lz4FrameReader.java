package dev.cairn.wire.batch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Decompresses the LZ4 frames Cairn writes (docs/protocol.md, 5.2: FLG {@code 0x64}, BD
 * {@code 0x40}) block by block straight into the output array, with the fastest lz4-java
 * decompressor and hash on this platform (native where lz4-java ships its library, else pure
 * Java). Decompression has one right answer whatever the implementation, unlike compression,
 * whose bytes make the content id; the native decoder is lz4's bounds-checked
 * {@code LZ4_decompress_safe}, made for hostile input. {@code LZ4FrameInputStream} with the
 * pure Java decoder took most of a cold query's decoding CPU: it copies every block twice,
 * and the Java decoder copies short-offset matches byte by byte.
 *
 * <p>Frames with other settings (block checksums, content size, linked blocks, other block
 * sizes) are valid LZ4 but not what Cairn writes: {@link #readsFlags} is false for them and the
 * caller decodes them with the general stream reader. Any malformed frame is BAD_FORMAT.
 */
final class Lz4FrameReader {
  private static final int MAGIC = 0x184D2204;
  private static final int HEADER_BYTES = 7;
  private static final int INCOMPRESSIBLE = 0x80000000;
  private static final LZ4SafeDecompressor DECOMPRESSOR =
      LZ4Factory.fastestInstance().safeDecompressor();
  private static final XXHash32 HASH = XXHashFactory.fastestInstance().hash32();

  private Lz4FrameReader() {}

  /** Returns true if {@code frame} starts with the header this reader handles. */
  static boolean readsFlags(byte[] frame, int length) {
    return length >= HEADER_BYTES && intLe(frame, 0) == MAGIC && frame[4] == 0x64
        && frame[5] == 0x40;
  }

  /**
   * Decompresses the one frame in {@code frame[0, length)}, whose header {@link #readsFlags}
   * accepted, into {@code output[0, declared)}; it must fill exactly that, end with its
   * content checksum and be followed by nothing.
   */
  static void read(byte[] frame, int length, byte[] output, int declared) {
    if ((byte) ((HASH.hash(frame, 4, 2, 0) >> 8) & 0xFF) != frame[6]) {
      throw bad("its header checksum is wrong");
    }
    int at = HEADER_BYTES;
    int filled = 0;
    while (true) {
      if (at + 4 > length) {
        throw bad("it ends inside a block length");
      }
      int word = intLe(frame, at);
      at += 4;
      if (word == 0) {
        break;
      }
      int size = word & ~INCOMPRESSIBLE;
      if (size > Lz4FrameWriter.BLOCK_BYTES || size > length - at) {
        throw bad("a block of " + size + " bytes does not fit");
      }
      int room = Math.min(Lz4FrameWriter.BLOCK_BYTES, declared - filled);
      if ((word & INCOMPRESSIBLE) != 0) {
        if (size > room) {
          throw bad("it holds more than the " + declared + " bytes its buffer declares");
        }
        System.arraycopy(frame, at, output, filled, size);
        filled += size;
      } else {
        try {
          filled += DECOMPRESSOR.decompress(frame, at, size, output, filled, room);
        } catch (LZ4Exception e) {
          throw bad("a block does not decompress into the " + declared
              + " bytes its buffer declares: " + e.getMessage());
        }
      }
      at += size;
    }
    if (filled != declared) {
      throw bad("it decompresses to " + filled + " bytes, not the " + declared
          + " its buffer declares");
    }
    if (length - at != 4) {
      throw bad("its content checksum is missing or followed by other bytes");
    }
    if (intLe(frame, at) != HASH.hash(output, 0, declared, 0)) {
      throw bad("its content checksum does not match");
    }
  }

  private static CairnException bad(String why) {
    return new CairnException(ErrorCode.BAD_FORMAT, "corrupt LZ4 frame: " + why);
  }

  private static int intLe(byte[] bytes, int at) {
    return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8 | (bytes[at + 2] & 0xFF) << 16
        | (bytes[at + 3] & 0xFF) << 24;
  }
}
