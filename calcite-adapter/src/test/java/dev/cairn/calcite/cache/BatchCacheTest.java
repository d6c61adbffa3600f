package dev.cairn.calcite.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.ContentId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte bound, least-recently-used order, pins, and verified files. */
class BatchCacheTest {
  @TempDir
  Path dir;

  private static final BitSet FIRST = columns(0);

  private static BitSet columns(int... indexes) {
    BitSet set = new BitSet();
    for (int i : indexes) {
      set.set(i);
    }
    return set;
  }

  private static ContentId id(String s) {
    return ContentId.of(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void leastRecentlyUsedUnpinnedBatchesLeaveFirst() {
    List<ContentId> evicted = new ArrayList<>();
    BatchCache cache = new BatchCache(100, null, evicted::add);
    cache.admit(id("a"), FIRST, 40, null);
    cache.admit(id("b"), FIRST, 40, null);
    cache.unpin(List.of(id("a"), id("b")));
    assertTrue(cache.isResident(id("a")), "a is now the most recently used");
    cache.admit(id("c"), FIRST, 40, null);
    assertEquals(List.of(id("b")), evicted);
    cache.admit(id("d"), FIRST, 40, null);
    assertEquals(List.of(id("b"), id("a")), evicted, "c and d are pinned, a is not");
    assertEquals(80, cache.residentBytes());
    cache.unpin(List.of(id("c"), id("d")));
    assertEquals(2, cache.residentCount());
  }

  @Test
  void pinnedBatchesStayEvenBeyondTheBound() {
    List<ContentId> evicted = new ArrayList<>();
    BatchCache cache = new BatchCache(10, null, evicted::add);
    cache.admit(id("a"), FIRST, 40, null);
    assertEquals(List.of(), evicted);
    cache.unpin(List.of(id("a")));
    assertEquals(List.of(id("a")), evicted);
    assertFalse(cache.isResident(id("a")));
  }

  @Test
  void columnsAddedLaterAreAccountedAndTheKeptBlobGoesWhenAllAreLoaded() {
    List<ContentId> evicted = new ArrayList<>();
    BatchCache cache = new BatchCache(1_000, null, evicted::add);
    byte[] blob = new byte[30];
    cache.admit(id("a"), columns(1), 100, blob);
    assertEquals(130, cache.residentBytes(), "the kept blob counts");
    assertEquals(columns(1), cache.pinIfResident(id("a")));
    cache.addColumns(id("a"), columns(0), 50, false);
    assertEquals(180, cache.residentBytes());
    assertTrue(cache.keptBlob(id("a")).isPresent());
    cache.addColumns(id("a"), columns(2), 20, true);
    assertEquals(170, cache.residentBytes(), "complete: the blob is let go");
    assertEquals(Optional.empty(), cache.keptBlob(id("a")));
    assertEquals(columns(0, 1, 2), cache.residentColumns(id("a")));
    assertEquals(null, cache.pinIfResident(id("b")), "not resident: nothing pinned");
    cache.unpin(List.of(id("a"), id("a")));
    assertEquals(List.of(), evicted);
    assertThrows(IllegalStateException.class,
        () -> cache.addColumns(id("a"), columns(3), 1, false), "only a pinned batch grows");
  }

  @Test
  void filesAreReadBackOnlyWhenTheyStillHashToTheirName() throws Exception {
    BatchCache cache = new BatchCache(100, dir, id -> { });
    byte[] blob = "batch bytes".getBytes(StandardCharsets.UTF_8);
    ContentId id = ContentId.of(blob);
    cache.writeToDisk(id, blob);
    assertEquals("batch bytes", new String(cache.readFromDisk(id).orElseThrow(),
        StandardCharsets.UTF_8));
    Files.writeString(cache.file(id), "rotten");
    assertEquals(Optional.empty(), cache.readFromDisk(id));
    assertFalse(Files.exists(cache.file(id)), "a bad file is deleted");
  }

  @Test
  void aDerivedEntryIsCountedOnceAndLeavesWithItsFirstSource() {
    List<ContentId> evicted = new ArrayList<>();
    BatchCache cache = new BatchCache(300, null, evicted::add);
    cache.admit(id("a"), columns(0, 1), 40, null);
    cache.admit(id("b"), columns(0, 1), 60, null);
    assertFalse(cache.admitDerived(id("m"), List.of(id("a"), id("b")), columns(0, 2)),
        "column 2 is not resident");
    assertTrue(cache.admitDerived(id("m"), List.of(id("a"), id("b")), columns(0)));
    assertEquals(150, cache.residentBytes(), "half of each source's two columns: 20 + 30");
    assertFalse(cache.admitDerived(id("n"), List.of(id("a"), id("b"), id("a"), id("b")),
        columns(0, 1)), "no room for a copy of 200 bytes");
    cache.unpin(List.of(id("a"), id("b"), id("m")));
    assertTrue(cache.evictIfUnpinned(id("a")));
    assertEquals(List.of(id("a"), id("m")), evicted, "m leaves with a, one of its sources");
    assertEquals(60, cache.residentBytes(), "b alone");
    assertFalse(cache.isResident(id("m")));
  }

  @Test
  void aPinnedDerivedEntryKeepsItsSourcesEvenUnpinned() {
    List<ContentId> evicted = new ArrayList<>();
    BatchCache cache = new BatchCache(200, null, evicted::add);
    cache.admit(id("a"), columns(0), 50, null);
    cache.admit(id("b"), columns(0), 50, null);
    assertTrue(cache.admitDerived(id("m"), List.of(id("a"), id("b")), columns(0)));
    cache.unpin(List.of(id("a"), id("b"))); // a query that pruned b away pins m and a only
    cache.admit(id("c"), columns(0), 100, null);
    assertEquals(List.of(), evicted, "m is pinned, so a and b stay");
    assertEquals(300, cache.residentBytes());
    cache.unpin(List.of(id("m")));
    assertEquals(List.of(id("a"), id("m")), evicted);
    assertEquals(150, cache.residentBytes());
    assertFalse(cache.evictIfUnpinned(id("c")), "c is pinned");
    assertTrue(cache.evictIfUnpinned(id("b")));
    assertEquals(100, cache.residentBytes());
  }
}
