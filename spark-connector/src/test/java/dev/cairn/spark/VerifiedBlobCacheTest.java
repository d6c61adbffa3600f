package dev.cairn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.ContentId;
import org.junit.jupiter.api.Test;

/** The bound and eviction order of the executor's blob cache. */
class VerifiedBlobCacheTest {
  private static byte[] blob(int size, int tag) {
    byte[] bytes = new byte[size];
    bytes[0] = (byte) tag;
    return bytes;
  }

  @Test
  void theLeastRecentlyUsedBlobLeavesFirst() {
    VerifiedBlobCache cache = new VerifiedBlobCache(300);
    byte[] a = blob(100, 1);
    byte[] b = blob(100, 2);
    byte[] c = blob(100, 3);
    cache.put(ContentId.of(a), a);
    cache.put(ContentId.of(b), b);
    cache.put(ContentId.of(c), c);
    assertSame(a, cache.get(ContentId.of(a)), "a is now the most recently used");
    byte[] d = blob(100, 4);
    cache.put(ContentId.of(d), d);
    assertFalse(cache.contains(ContentId.of(b)), "b was the least recently used");
    assertTrue(cache.contains(ContentId.of(a)));
    assertEquals(300, cache.residentBytes());
  }

  @Test
  void aBlobLargerThanTheBoundIsNotKeptAndLoweringTheBoundEvicts() {
    VerifiedBlobCache cache = new VerifiedBlobCache(150);
    byte[] big = blob(200, 1);
    cache.put(ContentId.of(big), big);
    assertNull(cache.get(ContentId.of(big)));
    byte[] a = blob(100, 2);
    cache.put(ContentId.of(a), a);
    cache.put(ContentId.of(a), a);
    assertEquals(100, cache.residentBytes(), "the same id counted once");
    cache.limit(50);
    assertEquals(0, cache.residentBytes());
    assertFalse(cache.contains(ContentId.of(a)));
  }
}
