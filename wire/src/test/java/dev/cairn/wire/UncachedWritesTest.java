package dev.cairn.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Goal: a donor's blobs written around the page cache (O_DIRECT, {@code DURABLE_UNCACHED}) are
 * byte for byte what was given, at every length around the alignment and the staging buffer,
 * from several buffers heap or direct; and where the file system refuses O_DIRECT the ordinary
 * write stores the same bytes. The directory is under the build's own folder, on the disk the
 * checkout is on (a temporary folder may be tmpfs, which refuses O_DIRECT).
 */
class UncachedWritesTest {
  private static final int MIB = 1 << 20;

  @Test
  void blobsOfEveryLengthAroundTheAlignmentAreStoredExactly() throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "uncached-writes-test"))
        .toAbsolutePath();
    Random random = new Random(11);
    int[] lengths = {0, 1, 511, 4095, 4096, 4097, MIB - 1, MIB, MIB + 1, 3 * MIB + 17,
        4 * MIB};
    for (int length : lengths) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      ByteBuffer[] pieces = pieces(bytes, random);
      Path target = dir.resolve("blob-" + length);
      Files.deleteIfExists(target);
      AtomicFiles.write(dir.resolve("blob-" + length + ".part"), target, pieces,
          AtomicFiles.Sync.DURABLE_UNCACHED);
      assertArrayEquals(bytes, Files.readAllBytes(target), "length " + length + (UncachedWrites
          .refuses(dir) ? " (this file system refused O_DIRECT)" : ""));
      for (ByteBuffer piece : pieces) {
        assertFalse(piece.hasRemaining(), "every buffer consumed, length " + length);
      }
      assertFalse(Files.exists(dir.resolve("blob-" + length + ".part")));
    }
  }

  @Test
  void aFileSystemThatRefusesODirectGetsTheOrdinaryWriteAndIsRemembered() throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "uncached-refused-test"))
        .toAbsolutePath();
    byte[] bytes = new byte[5000];
    new Random(3).nextBytes(bytes);
    ByteBuffer[] pieces = {ByteBuffer.wrap(bytes)};
    boolean written = UncachedWrites.write(dir.resolve("x.part"), pieces, file -> {
      throw new IOException("Invalid argument"); // what tmpfs answers to O_DIRECT
    });
    assertFalse(written);
    assertEquals(0, pieces[0].position(), "nothing consumed");
    assertFalse(Files.exists(dir.resolve("x.part")));
    assertTrue(UncachedWrites.refuses(dir));

    AtomicFiles.write(dir.resolve("y.part"), dir.resolve("y"), pieces,
        AtomicFiles.Sync.DURABLE_UNCACHED);
    assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("y")));
  }

  /** Splits bytes into up to five buffers of random sizes, direct and heap mixed. */
  private static ByteBuffer[] pieces(byte[] bytes, Random random) {
    int count = 1 + random.nextInt(5);
    ByteBuffer[] pieces = new ByteBuffer[count];
    int from = 0;
    for (int i = 0; i < count; i++) {
      int to = i == count - 1 ? bytes.length : from + random.nextInt(bytes.length - from + 1);
      byte[] part = Arrays.copyOfRange(bytes, from, to);
      pieces[i] = random.nextBoolean() ? ByteBuffer.wrap(part)
          : ByteBuffer.allocateDirect(part.length).put(part).flip();
      from = to;
    }
    return pieces;
  }
}
