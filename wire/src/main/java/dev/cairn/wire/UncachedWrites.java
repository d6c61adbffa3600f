package dev.cairn.wire;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a new file with O_DIRECT, so its bytes go from our memory to the disk without a copy
 * into the page cache, for {@link AtomicFiles.Sync#DURABLE_UNCACHED}. On the machine the
 * benchmarks run on, durable buffered writes of new 4 MiB blob files cost about 2.5 ms of CPU
 * per MiB (the kernel finding fresh pages) and these about an eighth of it ({@code
 * BlobWriteBenchmark}, docs/decisions.md); a donor storing three copies of a publish spent more
 * CPU there than on hashing them.
 *
 * <p>O_DIRECT takes only aligned memory, offsets and lengths, so the bytes pass through a
 * per-thread aligned staging buffer (a copy in our memory is cheap beside the kernel's), the
 * last block is padded with zeros and the file truncated to its real length afterwards. A file
 * system that refuses O_DIRECT (tmpfs, some network mounts) is remembered per directory and
 * written the ordinary way ({@link #write} returns false).
 */
final class UncachedWrites {
  /** Alignment at least this, whatever the file system says: every disk's sector divides it. */
  private static final int ALIGNMENT_MIN = 4096;
  private static final int STAGING_BYTES = 1 << 20;
  private static final Map<Path, Boolean> REFUSING = new ConcurrentHashMap<>();
  private static final ThreadLocal<Staging> STAGING = new ThreadLocal<>();

  private UncachedWrites() {}

  /** A thread's aligned buffer, kept: fresh native memory costs a page fault per page. */
  private record Staging(int alignment, ByteBuffer buffer) {
    static Staging aligned(int alignment) {
      ByteBuffer raw = ByteBuffer.allocateDirect(STAGING_BYTES + alignment);
      ByteBuffer buffer = raw.alignedSlice(alignment);
      buffer.limit(STAGING_BYTES);
      return new Staging(alignment, buffer);
    }
  }

  /**
   * Writes the remaining bytes of {@code data}, in order, to {@code file} (created or
   * truncated), forces it to disk and consumes the buffers; returns false, having consumed
   * nothing and left no file, if the file system does not take O_DIRECT or a write with it
   * failed (the caller then writes the ordinary way, which reports a real failure itself).
   */
  static boolean write(Path file, ByteBuffer[] data) throws IOException {
    return write(file, data, UncachedWrites::openDirect);
  }

  /** How the file is opened: with O_DIRECT, or, in tests, a way a file system refuses it. */
  interface Opener {
    FileChannel open(Path file) throws IOException;
  }

  static boolean write(Path file, ByteBuffer[] data, Opener opener) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    if (REFUSING.containsKey(directory)) {
      return false;
    }
    int alignment = alignmentOf(directory);
    FileChannel channel;
    try {
      channel = opener.open(file);
    } catch (IOException | UnsupportedOperationException refused) {
      REFUSING.put(directory, Boolean.TRUE);
      Files.deleteIfExists(file);
      return false;
    }
    try (channel) {
      writeAligned(channel, data, alignment);
    } catch (IOException unexpected) {
      // O_DIRECT opened but a write or the truncate failed: what the file system does not
      // take is told apart from a full disk only by the ordinary write, which gets the same
      // bytes from the start and reports a real failure itself.
      REFUSING.put(directory, Boolean.TRUE);
      Files.deleteIfExists(file);
      return false;
    }
    for (ByteBuffer piece : data) {
      piece.position(piece.limit());
    }
    return true;
  }

  /** The file system's block size, at least {@link #ALIGNMENT_MIN}, at most the staging's. */
  private static int alignmentOf(Path directory) throws IOException {
    long blockSize;
    try {
      blockSize = Files.getFileStore(directory).getBlockSize();
    } catch (UnsupportedOperationException unknown) {
      blockSize = ALIGNMENT_MIN;
    }
    // A power of two dividing the staging buffer; a file system wanting another is refused
    // at its first write and written the ordinary way.
    return Integer.highestOneBit((int) Math.min(STAGING_BYTES, Math.max(ALIGNMENT_MIN,
        blockSize)));
  }

  private static FileChannel openDirect(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING, ExtendedOpenOption.DIRECT);
  }

  /** Whether writes into {@code directory} were found not to take O_DIRECT. */
  static boolean refuses(Path directory) {
    return REFUSING.containsKey(directory.toAbsolutePath());
  }

  /** Writes the bytes through the aligned staging buffer, pads, truncates and forces. */
  private static void writeAligned(FileChannel channel, ByteBuffer[] data, int alignment)
      throws IOException {
    ByteBuffer staging = stagingFor(alignment);
    long length = 0;
    for (ByteBuffer piece : data) {
      ByteBuffer source = piece.duplicate();
      length += source.remaining();
      while (source.hasRemaining()) {
        int count = Math.min(staging.remaining(), source.remaining());
        staging.put(source.slice().limit(count));
        source.position(source.position() + count);
        if (!staging.hasRemaining()) {
          flush(channel, staging);
        }
      }
    }
    int tail = staging.position();
    if (tail > 0) {
      int padded = (tail + alignment - 1) / alignment * alignment;
      while (staging.position() < padded) {
        staging.put((byte) 0);
      }
      flush(channel, staging);
      channel.truncate(length);
    }
    channel.force(true);
  }

  private static ByteBuffer stagingFor(int alignment) {
    Staging staging = STAGING.get();
    if (staging == null || staging.alignment() != alignment) {
      staging = Staging.aligned(alignment);
      STAGING.set(staging);
    }
    return staging.buffer().clear();
  }

  private static void flush(FileChannel channel, ByteBuffer staging) throws IOException {
    staging.flip();
    while (staging.hasRemaining()) {
      channel.write(staging);
    }
    staging.clear();
  }
}
