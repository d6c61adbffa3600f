package dev.cairn.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {
  private static List<byte[]> nodes(int count) {
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(ContentId.of(("node" + i).getBytes(StandardCharsets.UTF_8)).toBytes());
    }
    return keys;
  }

  private static ContentId blob(int i) {
    return ContentId.of(("blob" + i).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void choosesDistinctNodesRegardlessOfInputOrder() {
    List<byte[]> keys = nodes(6);
    List<byte[]> reversed = new ArrayList<>(keys);
    java.util.Collections.reverse(reversed);
    for (int i = 0; i < 100; i++) {
      List<byte[]> a = Placement.choose(blob(i), keys, 3);
      List<byte[]> b = Placement.choose(blob(i), reversed, 3);
      assertEquals(3, a.size());
      for (int j = 0; j < 3; j++) {
        assertArrayEquals(a.get(j), b.get(j));
      }
      Set<String> distinct = new HashSet<>();
      a.forEach(k -> distinct.add(ContentId.fromBytes(k).toHex()));
      assertEquals(3, distinct.size());
    }
  }

  @Test
  void removingANodeMovesOnlyTheBlobsItHeld() {
    List<byte[]> keys = nodes(5);
    List<byte[]> fewer = new ArrayList<>(keys.subList(1, 5));
    for (int i = 0; i < 500; i++) {
      List<byte[]> before = Placement.choose(blob(i), keys, 3);
      List<byte[]> after = Placement.choose(blob(i), fewer, 3);
      Set<String> kept = new HashSet<>();
      before.stream().filter(k -> k != keys.get(0))
          .forEach(k -> kept.add(ContentId.fromBytes(k).toHex()));
      Set<String> now = new HashSet<>();
      after.forEach(k -> now.add(ContentId.fromBytes(k).toHex()));
      assertTrue(now.containsAll(kept), "a surviving holder keeps its blob");
    }
  }

  @Test
  void spreadsBlobsEvenly() {
    List<byte[]> keys = nodes(5);
    Map<String, Integer> counts = new HashMap<>();
    int blobs = 5000;
    for (int i = 0; i < blobs; i++) {
      byte[] first = Placement.choose(blob(i), keys, 1).get(0);
      counts.merge(ContentId.fromBytes(first).toHex(), 1, Integer::sum);
    }
    assertEquals(5, counts.size());
    // Each of 5 nodes expects 1000; a fair hash stays well within ±15% for these fixed inputs.
    counts.values().forEach(c -> assertTrue(c > 850 && c < 1150, "count " + c));
  }

  @Test
  void scoreIsTheFirstEightBytesOfTheHash() {
    ContentId blob = blob(1);
    byte[] key = nodes(1).get(0);
    byte[] joined = new byte[64];
    System.arraycopy(blob.toBytes(), 0, joined, 0, 32);
    System.arraycopy(key, 0, joined, 32, 32);
    byte[] hash = ContentId.of(joined).toBytes();
    long expected = java.nio.ByteBuffer.wrap(hash).getLong();
    assertEquals(expected, Placement.score(blob, key));
  }
}
