package dev.cairn.server.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void storesReadsAndSurvivesReopen() throws Exception {
    byte[] data = bytes("hello blob");
    ContentId id = ContentId.of(data);
    BlobStore store = BlobStore.open(dir, 1 << 20);
    assertTrue(store.put(id, ByteBuffer.wrap(data)));
    assertFalse(store.put(id, ByteBuffer.wrap(data)), "second put of same blob is a no-op");
    assertArrayEquals(data, store.read(id));
    assertEquals(data.length, store.usedBytes());

    BlobStore reopened = BlobStore.open(dir, 1 << 20);
    assertTrue(reopened.contains(id));
    assertEquals(data.length, reopened.size(id));
    assertEquals(data.length, reopened.usedBytes());
    assertArrayEquals(data, reopened.read(id));
  }

  @Test
  void storesABlobGivenInPiecesAsTheSameBytesAndTree() throws Exception {
    byte[] data = new byte[3 * dev.cairn.wire.ChunkTree.CHUNK_BYTES + 12345];
    new java.util.Random(3).nextBytes(data);
    ContentId id = ContentId.of(data);
    ByteBuffer[] pieces = new ByteBuffer[7];
    int at = 0;
    for (int i = 0; i < pieces.length; i++) {
      int end = (int) ((long) data.length * (i + 1) / pieces.length); // not chunk-aligned
      pieces[i] = ByteBuffer.allocateDirect(end - at).put(data, at, end - at).flip();
      at = end;
    }
    BlobStore store = BlobStore.open(dir, 1 << 20);
    assertTrue(store.put(id, pieces));
    assertArrayEquals(data, store.read(id));
    assertArrayEquals(dev.cairn.wire.ChunkTree.of(data).leafHashes(),
        store.chunkTree(id).leafHashes());
    for (ByteBuffer piece : pieces) {
      assertEquals(0, piece.position(), "the caller's buffers are left as they were");
    }
    ContentId other = ContentId.of(bytes("not these bytes"));
    CairnException e = assertThrows(CairnException.class, () -> store.put(other, pieces));
    assertEquals(ErrorCode.BAD_HASH, e.code());
  }

  @Test
  void refusesBytesThatDoNotHashToTheId() throws Exception {
    BlobStore store = BlobStore.open(dir, 1 << 20);
    ContentId claimed = ContentId.of(bytes("what was promised"));
    CairnException e = assertThrows(CairnException.class,
        () -> store.put(claimed, ByteBuffer.wrap(bytes("something else"))));
    assertEquals(ErrorCode.BAD_HASH, e.code());
    assertTrue(e.getMessage().startsWith("BAD_HASH"));
    assertEquals(0, store.count());
    assertEquals(0, store.usedBytes());
  }

  @Test
  void refusesPastCapacityAndKeepsWhatItHas() throws Exception {
    BlobStore store = BlobStore.open(dir, 16);
    byte[] first = bytes("0123456789");
    byte[] second = bytes("abcdefghij");
    store.put(ContentId.of(first), ByteBuffer.wrap(first));
    CairnException e = assertThrows(CairnException.class,
        () -> store.put(ContentId.of(second), ByteBuffer.wrap(second)));
    assertEquals(ErrorCode.CAPACITY_FULL, e.code());
    assertEquals(List.of(ContentId.of(first)), store.list(null, 10));
    assertEquals(first.length, store.usedBytes());
  }

  @Test
  void openingCleansWhatACrashLeftBehind() throws Exception {
    byte[] data = bytes("kept");
    ContentId id = ContentId.of(data);
    BlobStore store = BlobStore.open(dir, 1 << 20);
    store.put(id, ByteBuffer.wrap(data));
    // What a kill -9 mid-upload leaves: a partial temporary file. And a stray file in blobs/.
    Files.write(dir.resolve("tmp").resolve(id.toHex() + ".1.part"), bytes("par"));
    Files.createDirectories(dir.resolve("blobs").resolve("zz"));
    Files.write(dir.resolve("blobs").resolve("zz").resolve("not-an-id"), bytes("junk"));

    BlobStore reopened = BlobStore.open(dir, 1 << 20);
    try (var tmp = Files.list(dir.resolve("tmp"))) {
      assertEquals(0, tmp.count(), "partial uploads are deleted at start");
    }
    assertEquals(List.of(id), reopened.list(null, 10));
    assertFalse(Files.exists(dir.resolve("blobs").resolve("zz").resolve("not-an-id")));
    assertEquals(data.length, reopened.usedBytes());
  }

  @Test
  void quarantinedBlobIsNeverServedAgain() throws Exception {
    byte[] data = bytes("soon corrupt");
    ContentId id = ContentId.of(data);
    BlobStore store = BlobStore.open(dir, 1 << 20);
    store.put(id, ByteBuffer.wrap(data));
    assertTrue(store.quarantine(id, "a test"));
    assertFalse(store.contains(id));
    assertEquals(ErrorCode.NOT_FOUND,
        assertThrows(CairnException.class, () -> store.file(id)).code());
    assertFalse(BlobStore.open(dir, 1 << 20).contains(id));
  }

  @Test
  void listsInIdOrderFromACursor() throws Exception {
    BlobStore store = BlobStore.open(dir, 1 << 20);
    for (int i = 0; i < 10; i++) {
      byte[] data = bytes("blob " + i);
      store.put(ContentId.of(data), ByteBuffer.wrap(data));
    }
    List<ContentId> first = store.list(null, 4);
    List<ContentId> rest = store.list(first.get(3), 100);
    assertEquals(4, first.size());
    assertEquals(6, rest.size());
    assertTrue(first.get(3).compareTo(rest.get(0)) < 0);
  }

  @Test
  void deletedTruncatedAndRewrittenFilesLeaveTheIndexAndAreReported() throws Exception {
    BlobStore store = BlobStore.open(dir, 1 << 20);
    List<String> losses = new java.util.ArrayList<>();
    store.setLossListener((id, size, loss) -> losses.add(loss + " " + size));
    ContentId deleted = putBlob(store, "deleted behind our back");
    ContentId truncated = putBlob(store, "truncated behind our back");
    ContentId garbled = putBlob(store, "garbled behind our back!!");
    ContentId touched = putBlob(store, "touched but intact");
    long changes = store.changeCount();

    Files.delete(store.file(deleted));
    Files.write(store.file(truncated), bytes("trunc"));
    Path garbledFile = store.file(garbled);
    byte[] garbage = Files.readAllBytes(garbledFile);
    garbage[3] ^= 1;
    Files.write(garbledFile, garbage);
    // File times tick coarsely (a few ms): a rewrite this soon after the put could keep the
    // put's time, which the one-stat check rightly trusts (the scrubber's re-hash catches that).
    Files.setLastModifiedTime(garbledFile, java.nio.file.attribute.FileTime.fromMillis(2_000));
    Path touchedFile = store.file(touched);
    Files.setLastModifiedTime(touchedFile, java.nio.file.attribute.FileTime.fromMillis(1_000));

    assertFalse(store.checkOnDisk(deleted));
    assertFalse(store.checkOnDisk(truncated));
    assertFalse(store.checkOnDisk(garbled));
    assertTrue(store.checkOnDisk(touched), "a touched file whose bytes still match is kept");
    assertFalse(store.contains(deleted));
    assertFalse(store.contains(truncated));
    assertFalse(store.contains(garbled));
    assertEquals(List.of("VANISHED 23", "VANISHED 25", "CORRUPT 25"), losses);
    assertEquals(changes + 3, store.changeCount(), "holdings changed, so they are resent");
    assertEquals(bytes("touched but intact").length, store.usedBytes());
    assertFalse(store.checkOnDisk(deleted), "a loss is reported once");
    assertEquals(3, losses.size());
  }

  @Test
  void checkAllOnDiskFindsEveryVanishedFile() throws Exception {
    BlobStore store = BlobStore.open(dir, 1 << 20);
    ContentId kept = putBlob(store, "kept");
    ContentId gone = putBlob(store, "gone");
    Files.delete(store.file(gone));
    assertEquals(1, store.checkAllOnDisk());
    assertEquals(List.of(kept), store.list(null, 10));
  }

  /**
   * Puts of one blob racing each other (a publisher's upload and a peer's repair pull) store it
   * once, and the index describes the file that is on disk afterwards: a later rewrite under
   * that file's stat goes unnoticed by the one-stat check, which proves the stat the index
   * keeps is that file's (not a file a second put renamed over it).
   */
  @Test
  void racingPutsOfOneBlobStoreItOnceUnderTheFilesOwnStat() throws Exception {
    BlobStore store = BlobStore.open(dir, 64L << 20);
    int threads = 4;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 20; round++) {
        byte[] data = bytes(("round " + round + ";").repeat(8_000));
        ContentId id = ContentId.of(data);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Boolean>> puts = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
          puts.add(pool.submit(() -> {
            start.await();
            return store.put(id, ByteBuffer.wrap(data));
          }));
        }
        start.countDown();
        int stored = 0;
        for (java.util.concurrent.Future<Boolean> put : puts) {
          stored += put.get(30, java.util.concurrent.TimeUnit.SECONDS) ? 1 : 0;
        }
        assertEquals(1, stored, "round " + round + ": exactly one put stores the blob");

        Path file = store.file(id);
        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(file);
        byte[] other = data.clone();
        other[0] ^= 1;
        Files.write(file, other);
        Files.setLastModifiedTime(file, modified);
        assertTrue(store.checkOnDisk(id), "round " + round + ": the index keeps the stat of"
            + " the file on disk, so an unchanged stat is trusted without a re-hash");
      }
      assertEquals(20, store.count());
    } finally {
      pool.shutdownNow();
    }
  }

  private static ContentId putBlob(BlobStore store, String text) throws Exception {
    byte[] data = bytes(text);
    ContentId id = ContentId.of(data);
    store.put(id, ByteBuffer.wrap(data));
    return id;
  }

  /** A HAS of a held blob restarts its orphan grace; one unwanted since the cutoff goes. */
  @Test
  void aBlobWantedSinceTheCutoffIsKeptAndOneUnwantedIsDeleted() throws Exception {
    BlobStore store = BlobStore.open(dir, 1 << 20);
    byte[] blob = bytes("orphan or not");
    ContentId id = ContentId.of(blob);
    store.put(id, ByteBuffer.wrap(blob));
    long cutoff = store.lastWantedMillis(id) + 1;
    assertEquals(-1, store.lastWantedMillis(ContentId.of(bytes("never stored"))));
    for (int spins = 0; spins < 1_000 && System.currentTimeMillis() <= cutoff; spins++) {
      Thread.sleep(1); // the clock must pass the cutoff before the writer asks again
    }
    assertTrue(store.checkWanted(id), "HAS answers yes for a held blob");
    assertTrue(store.lastWantedMillis(id) >= cutoff, "and restarts its grace");
    assertEquals(-1, store.deleteIfUnwantedSince(id, cutoff), "wanted since the cutoff: kept");
    assertTrue(store.contains(id));
    long later = store.lastWantedMillis(id) + 1;
    assertEquals(blob.length, store.deleteIfUnwantedSince(id, later));
    assertFalse(store.contains(id));
    assertFalse(store.checkWanted(id), "a deleted blob is not held");
    assertEquals(0, store.usedBytes());
  }
}
