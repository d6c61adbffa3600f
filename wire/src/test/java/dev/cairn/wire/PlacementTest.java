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
      keys.add(ContentId.sha256(("node" + i).getBytes(StandardCharsets.UTF_8)).toBytes());
    }
    return keys;
  }

  private static ContentId blob(int i) {
    return ContentId.sha256(("blob" + i).getBytes(StandardCharsets.UTF_8));
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
    byte[] hash = ContentId.sha256(joined).toBytes();
    long expected = java.nio.ByteBuffer.wrap(hash).getLong();
    assertEquals(expected, Placement.score(blob, key));
  }

  /** Nodes 0..9 in zone "a", then one node in each of "b", "c", "d" (the Sybil layout). */
  private static List<Placement.Node> sybilLayout() {
    List<byte[]> keys = nodes(13);
    List<Placement.Node> layout = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      layout.add(new Placement.Node(keys.get(i), i < 10 ? "a" : String.valueOf((char) ('b' + i
          - 10))));
    }
    return layout;
  }

  private static Set<String> hexes(List<Placement.Node> nodes) {
    Set<String> hexes = new HashSet<>();
    nodes.forEach(n -> hexes.add(ContentId.fromBytes(n.key()).toHex()));
    return hexes;
  }

  @Test
  void noTwoCopiesShareAZoneWhileEnoughZonesExist() {
    List<Placement.Node> layout = sybilLayout();
    for (int i = 0; i < 1000; i++) {
      List<Placement.Node> chosen = Placement.chooseAcrossZones(blob(i), layout, 3);
      assertEquals(3, Placement.zoneCount(chosen), "blob " + i + " in three zones");
    }
  }

  @Test
  void fewerZonesThanCopiesTakeOneEachThenFillByRank() {
    List<byte[]> keys = nodes(4);
    List<Placement.Node> twoZones = List.of(new Placement.Node(keys.get(0), "a"),
        new Placement.Node(keys.get(1), "a"), new Placement.Node(keys.get(2), "a"),
        new Placement.Node(keys.get(3), "b"));
    for (int i = 0; i < 200; i++) {
      List<Placement.Node> chosen = Placement.chooseAcrossZones(blob(i), twoZones, 3);
      assertEquals(3, chosen.size());
      assertEquals(2, Placement.zoneCount(chosen), "both zones used");
      assertTrue(hexes(chosen).contains(ContentId.fromBytes(keys.get(3)).toHex()),
          "the only node of zone b always holds a copy");
    }
    assertEquals(2, Placement.zoneCount(twoZones));
  }

  @Test
  void everyNodeItsOwnZoneIsPlainRendezvous() {
    List<byte[]> keys = nodes(7);
    List<Placement.Node> own = new ArrayList<>();
    keys.forEach(k -> own.add(new Placement.Node(k, ContentId.fromBytes(k).toHex()
        .substring(0, 16))));
    for (int i = 0; i < 200; i++) {
      List<byte[]> plain = Placement.rank(blob(i), keys);
      List<Placement.Node> zoned = Placement.rankAcrossZones(blob(i), own);
      for (int j = 0; j < keys.size(); j++) {
        assertArrayEquals(plain.get(j), zoned.get(j).key());
      }
    }
  }

  @Test
  void aJoiningNodeMovesOnlyTheBlobsItWins() {
    List<Placement.Node> layout = sybilLayout();
    List<Placement.Node> before = layout.subList(0, 12); // without the node of zone "d"
    Placement.Node joiner = layout.get(12);
    List<Placement.Node> moreInA = new ArrayList<>(layout);
    Placement.Node anotherInA = new Placement.Node(nodes(14).get(13), "a");
    moreInA.add(anotherInA);
    for (int i = 0; i < 500; i++) {
      assertOnlyJoinerEnters(before, layout, joiner, i);
      assertOnlyJoinerEnters(layout, moreInA, anotherInA, i);
    }
  }

  private static void assertOnlyJoinerEnters(List<Placement.Node> before,
      List<Placement.Node> after, Placement.Node joiner, int blob) {
    Set<String> was = hexes(Placement.chooseAcrossZones(blob(blob), before, 3));
    Set<String> now = hexes(Placement.chooseAcrossZones(blob(blob), after, 3));
    now.removeAll(was);
    assertTrue(now.isEmpty() || now.equals(hexes(List.of(joiner))),
        "blob " + blob + ": only the joiner may gain it, not " + now);
  }

  /** The worked example of docs/protocol.md 9.4.1, pinned as a golden vector. */
  @Test
  void rankAcrossZonesMatchesTheProtocolDocument() {
    String[] zones = {"a", "a", "b", "c"};
    List<byte[]> keys = new ArrayList<>();
    List<Placement.Node> nodes = new ArrayList<>();
    for (int i = 0; i < zones.length; i++) {
      byte[] key = ContentId.sha256(("node" + i).getBytes(StandardCharsets.UTF_8)).toBytes();
      keys.add(key);
      nodes.add(new Placement.Node(key, zones[i]));
    }
    ContentId blob = ContentId.sha256("blob11".getBytes(StandardCharsets.UTF_8));
    List<byte[]> plain = Placement.rank(blob, keys);
    for (int i = 0; i < keys.size(); i++) {
      assertArrayEquals(keys.get(i), plain.get(i), "plain rendezvous order is node0..node3");
    }
    java.io.ByteArrayOutputStream ranked = new java.io.ByteArrayOutputStream();
    Placement.rankAcrossZones(blob, nodes).forEach(node -> ranked.writeBytes(node.key()));
    assertArrayEquals(GoldenVectors.hex("placement-across-zones"), ranked.toByteArray());
  }
}
