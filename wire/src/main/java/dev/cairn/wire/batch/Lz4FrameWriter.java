package dev.cairn.wire.batch;


/**
 * Writes one LZ4 frame (docs/protocol.md, 5.2) byte for byte as lz4-java's {@code
 * LZ4FrameOutputStream} writes it with our flags, but into scratch arrays that one thread keeps
 * for all its buffers: the stream allocated a 64 KiB block buffer, a block-sized output array
 * and a worst-case frame array for every Arrow buffer, most of which are a few kilobytes.
 *
 * <p>Layout: magic, FLG (version 1, independent blocks, content checksum), BD (64 KiB blocks),
 * header checksum (second byte of the xxHash32 of FLG and BD); then each 64 KiB piece of the
 * input as a 4-byte little-endian length and its {@link Lz4BlockCompressor} block, or the raw
 * piece with the length's high bit set when compressing does not make it smaller; then a zero
 * end mark and the xxHash32 (seed 0) of the whole input. Not thread-safe: one per thread.
 */
final class Lz4FrameWriter {
  static final int BLOCK_BYTES = 64 * 1024;
  private static final int MAGIC = 0x184D2204;
  /** Version 01, block independence, content checksum. */
  private static final byte FLG = 0x64;
  /** Block maximum size code 4: 64 KiB. */
  private static final byte BD = 0x40;
  private static final int HEADER_BYTES = 7;
  private static final int INCOMPRESSIBLE = 0x80000000;

  private static final ThreadLocal<Lz4FrameWriter> PER_THREAD =
      ThreadLocal.withInitial(Lz4FrameWriter::new);

  private final Lz4BlockCompressor compressor = new Lz4BlockCompressor();
  private final ReusedArray inputScratch = new ReusedArray();
  private final ReusedArray frameScratch = new ReusedArray();
  private byte[] input = new byte[0];
  private byte[] frame = new byte[0];
  private int frameLength;

  /** Returns this thread's writer. */
  static Lz4FrameWriter forThisThread() {
    return PER_THREAD.get();
  }

  /** Returns an input array of at least {@code length} bytes for the caller to fill. */
  byte[] inputScratch(int length) {
    input = inputScratch.atLeast(length);
    return input;
  }

  /**
   * Writes the frame of the first {@code length} bytes of {@link #inputScratch}; the frame is
   * then {@link #frame()} up to {@link #frameLength()}, valid until the next call.
   */
  void writeFrame(int length) {
    int blocks = length / BLOCK_BYTES + 1;
    int bound = HEADER_BYTES + blocks * (4 + Lz4BlockCompressor.maxCompressedLength(BLOCK_BYTES))
        + 8;
    frame = frameScratch.atLeast(bound);
    putIntLe(frame, 0, MAGIC);
    frame[4] = FLG;
    frame[5] = BD;
    frame[6] = (byte) ((XxHash32.hash(frame, 4, 2, 0) >> 8) & 0xFF);
    int at = HEADER_BYTES;
    for (int from = 0; from < length; from += BLOCK_BYTES) {
      int piece = Math.min(BLOCK_BYTES, length - from);
      int compressed = compressor.compress(input, from, piece, frame, at + 4);
      if (compressed >= piece) {
        putIntLe(frame, at, piece | INCOMPRESSIBLE);
        System.arraycopy(input, from, frame, at + 4, piece);
        at += 4 + piece;
      } else {
        putIntLe(frame, at, compressed);
        at += 4 + compressed;
      }
    }
    putIntLe(frame, at, 0);
    putIntLe(frame, at + 4, XxHash32.hash(input, 0, length, 0));
    frameLength = at + 8;
  }

  byte[] frame() {
    return frame;
  }

  int frameLength() {
    return frameLength;
  }

  private static void putIntLe(byte[] bytes, int at, int value) {
    bytes[at] = (byte) value;
    bytes[at + 1] = (byte) (value >>> 8);
    bytes[at + 2] = (byte) (value >>> 16);
    bytes[at + 3] = (byte) (value >>> 24);
  }
}
