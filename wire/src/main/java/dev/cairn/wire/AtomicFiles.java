package dev.cairn.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way Cairn replaces a file so that a crash leaves either the old contents or the new,
 * never a torn mix: write a temporary file, optionally force it, rename it over the target, and
 * optionally force the directory so the rename itself survives power loss.
 */
public final class AtomicFiles {
  /** How far a replacement must survive a crash. */
  public enum Sync {
    /**
     * Neither the file nor its directory is forced: for files that are checked when read and
     * can be rebuilt (caches, sidecars), where a lost rename only costs work.
     */
    NONE,
    /** The file's bytes and the rename are both on disk before the call returns. */
    DURABLE
  }

  /** Slice of a heap buffer written at once (see {@link #writeAll}). */
  private static final int HEAP_SLICE_BYTES = 256 * 1024;

  /**
   * Most bytes of direct buffers one write call passes to the kernel. Writes of 2 MiB and more
   * into a new file cost up to 7 times (2.5 times in the median) the system CPU of the same
   * bytes in calls of 1 MiB on the Linux 6.18 VMs we measure on (docs/benchmarks.md, "Parsed values in arrays, and
   * donors' writes in calls of 1 MiB"); below 1 MiB the cost is flat, so 1 MiB keeps the calls
   * few.
   */
  private static final int DIRECT_CALL_BYTES_MAX = 1 << 20;

  private AtomicFiles() {}

  /**
   * Replaces {@code file} with UTF-8 {@code text}, durably, through the sibling temporary file
   * {@code <name>.tmp}: for state files that one process writes at a time.
   */
  public static void replace(Path file, String text) throws IOException {
    replace(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Replaces {@code file} with {@code bytes}, durably, through the sibling {@code <name>.tmp}. */
  public static void replace(Path file, byte[] bytes) throws IOException {
    write(file.resolveSibling(file.getFileName() + ".tmp"), file, ByteBuffer.wrap(bytes),
        Sync.DURABLE);
  }

  /**
   * Writes the remaining bytes of {@code data} to {@code temporary} (truncated if it exists),
   * then renames it over {@code target}, creating target's directory if needed. Concurrent
   * writers must pass distinct temporary paths. The temporary file is gone when this returns,
   * whether it succeeded or threw.
   */
  public static void write(Path temporary, Path target, ByteBuffer data, Sync sync)
      throws IOException {
    write(temporary, target, new ByteBuffer[] {data}, sync);
  }

  /**
   * Like {@link #write(Path, Path, ByteBuffer, Sync)} for bytes held in several buffers, written
   * in order with gathering writes (a blob received as the socket's read buffers, uncopied).
   */
  public static void write(Path temporary, Path target, ByteBuffer[] data, Sync sync)
      throws IOException {
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        writeAll(channel, data);
        if (sync == Sync.DURABLE) {
          channel.force(true);
        }
      }
      Path directory = target.toAbsolutePath().getParent();
      Files.createDirectories(directory);
      move(temporary, target);
      if (sync == Sync.DURABLE) {
        forceDirectory(directory);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * Writes direct buffers with gathering writes of at most {@link #DIRECT_CALL_BYTES_MAX}, and a
   * heap buffer in slices of {@link #HEAP_SLICE_BYTES}: the JDK copies a heap buffer into a
   * temporary direct buffer of the whole write's size, which each thread allocates and frees
   * again as sizes grow, and fresh native memory costs a page fault per page written (a cold
   * query's load threads writing blobs of a few MB spent seconds of CPU on it).
   */
  private static void writeAll(FileChannel channel, ByteBuffer[] data) throws IOException {
    boolean allDirect = true;
    for (ByteBuffer piece : data) {
      allDirect &= piece.isDirect();
    }
    if (!allDirect) {
      for (ByteBuffer piece : data) {
        writeAll(channel, piece);
      }
      return;
    }
    int first = 0;
    while (first < data.length) {
      int end = first;
      long bytes = 0;
      while (end < data.length && bytes + data[end].remaining() <= DIRECT_CALL_BYTES_MAX) {
        bytes += data[end].remaining();
        end++;
      }
      if (end == first) {
        writeAll(channel, data[first]); // one buffer larger than a call: in slices
        first++;
        continue;
      }
      channel.write(data, first, end - first);
      while (first < end && !data[first].hasRemaining()) {
        first++;
      }
    }
  }

  private static void writeAll(FileChannel channel, ByteBuffer data) throws IOException {
    int sliceBytes = data.isDirect() ? DIRECT_CALL_BYTES_MAX : HEAP_SLICE_BYTES;
    ByteBuffer slice = data.duplicate();
    while (data.hasRemaining()) {
      int length = Math.min(sliceBytes, data.remaining());
      slice.limit(data.position() + length).position(data.position());
      while (slice.hasRemaining()) {
        channel.write(slice);
      }
      data.position(data.position() + length);
    }
  }

  private static void move(Path temporary, Path target) throws IOException {
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      // Some file systems (network mounts) cannot rename atomically; a plain replace is the
      // best they offer, and still never leaves a half-written target.
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Makes a rename durable; Linux and macOS allow opening a directory for reading to fsync it. */
  private static void forceDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      if (!System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("win")) {
        throw e;
      }
    }
  }
}
