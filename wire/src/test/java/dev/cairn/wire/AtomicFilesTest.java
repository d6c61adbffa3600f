package dev.cairn.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void replaceWritesANewFileAndThenReplacesItLeavingNoTemporary() throws IOException {
    Path file = dir.resolve("state.txt");
    AtomicFiles.replace(file, "first\n");
    assertEquals("first\n", Files.readString(file));

    AtomicFiles.replace(file, "second, longer than the first\n");
    assertEquals("second, longer than the first\n", Files.readString(file));
    assertEquals(List.of(file), list(dir));
  }

  @Test
  void aStaleTemporaryFromACrashIsOverwrittenNotAppendedTo() throws IOException {
    Path file = dir.resolve("state.bin");
    Files.write(dir.resolve("state.bin.tmp"), new byte[1000]);
    AtomicFiles.replace(file, new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
    assertEquals(List.of(file), list(dir));
  }

  @Test
  void writeCreatesTheTargetDirectoryAndWritesOnlyTheRemainingBytes() throws IOException {
    Path target = dir.resolve("ab").resolve("abcdef");
    ByteBuffer data = ByteBuffer.wrap("xxpayload".getBytes(StandardCharsets.US_ASCII));
    data.position(2);
    AtomicFiles.write(dir.resolve("abcdef.part"), target, data, AtomicFiles.Sync.NONE);
    assertEquals("payload", Files.readString(target));
    assertFalse(Files.exists(dir.resolve("abcdef.part")));
  }

  @Test
  void largeHeapAndDirectBuffersAreWrittenWholeFromTheirPositionToTheirLimit()
      throws IOException {
    byte[] bytes = new byte[2_700_001]; // several slices of either kind, the last one partial
    new java.util.Random(7).nextBytes(bytes);
    ByteBuffer heap = ByteBuffer.wrap(bytes);
    heap.position(3).limit(bytes.length - 5);
    AtomicFiles.write(dir.resolve("heap.tmp"), dir.resolve("heap"), heap, AtomicFiles.Sync.NONE);
    assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 3, bytes.length - 5),
        Files.readAllBytes(dir.resolve("heap")));
    assertEquals(heap.limit(), heap.position(), "the buffer is consumed");
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    AtomicFiles.write(dir.resolve("direct.tmp"), dir.resolve("direct"), direct,
        AtomicFiles.Sync.DURABLE);
    assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("direct")));
  }

  @Test
  void directPiecesAreWrittenInOrderAcrossCallsWhateverTheirSizes() throws IOException {
    // Pieces that fill a call exactly, overflow it, are empty, or are larger than one call.
    int[] sizes = {0, 700_000, 348_576, 1, 0, 1 << 20, 3_000_000, 65_536, 0, 999_999, 2};
    java.util.Random random = new java.util.Random(11);
    java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
    ByteBuffer[] pieces = new ByteBuffer[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      byte[] bytes = new byte[sizes[i] + 4];
      random.nextBytes(bytes);
      // Each piece starts past its buffer's first bytes and ends before its last ones.
      pieces[i] = ByteBuffer.allocateDirect(bytes.length).put(bytes).position(3)
          .limit(bytes.length - 1);
      expected.write(bytes, 3, sizes[i]);
    }
    AtomicFiles.write(dir.resolve("pieces.tmp"), dir.resolve("pieces"), pieces,
        AtomicFiles.Sync.DURABLE);
    assertArrayEquals(expected.toByteArray(), Files.readAllBytes(dir.resolve("pieces")));
    for (ByteBuffer piece : pieces) {
      assertFalse(piece.hasRemaining(), "every piece is consumed");
    }
  }

  @Test
  void aFailedRenameLeavesTheTargetAsItWasAndRemovesTheTemporary() throws IOException {
    // A non-empty directory cannot be replaced by a file: the rename fails after the write.
    Path target = dir.resolve("busy");
    Files.createDirectories(target.resolve("child"));
    Path temporary = dir.resolve("busy.tmp");
    assertThrows(IOException.class, () -> AtomicFiles.write(temporary, target,
        ByteBuffer.wrap(new byte[] {9}), AtomicFiles.Sync.DURABLE));
    assertFalse(Files.exists(temporary));
    assertEquals(List.of(target.resolve("child")), list(target));
  }

  private static List<Path> list(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.sorted().toList();
    }
  }
}
