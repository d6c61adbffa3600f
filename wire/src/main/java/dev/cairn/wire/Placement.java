package dev.cairn.wire;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rendezvous (highest-random-weight) placement: which nodes should hold a blob.
 *
 * <p>Every node gets a score for every blob: the first 8 bytes, as an unsigned big-endian
 * number, of SHA-256(blob id ‖ node key), both as raw 32 bytes. The R nodes with the highest
 * scores hold the blob; ties (practically impossible) go to the smaller node key. Writers,
 * donors and the metadata service compute this alone from the list of live nodes and agree
 * without talking: when a node joins or leaves, only the blobs it wins or held move
 * (docs/protocol.md, "Placement").
 *
 * <p>Zones ({@link Zone}): {@link #rankAcrossZones} orders the best node of each zone first,
 * by that node's score, then every other node by score. So the first R nodes lie in R distinct
 * zones while at least R zones exist, and fewer zones are filled up by rank. A zone ranks as
 * its best node, so the order of zones is itself rendezvous order and stays as stable: a node
 * that joins or leaves changes only the blobs it wins or held. When every node is its own zone
 * the order is exactly {@link #rank}.
 */
public final class Placement {
  private Placement() {}

  /**
   * A node as placement sees it: its key (32 raw bytes) and its zone.
   *
   * @param key the node's public key, 32 raw bytes
   * @param zone its failure domain ({@link Zone#check})
   */
  public record Node(byte[] key, String zone) {
    /** Checks the parts. */
    public Node {
      if (key == null || key.length != 32) {
        throw new IllegalArgumentException("a node key is 32 bytes");
      }
      java.util.Objects.requireNonNull(zone, "zone");
    }
  }

  /** Returns the score of {@code nodeKey} (32 raw bytes) for {@code blob}. */
  public static long score(ContentId blob, byte[] nodeKey) {
    MessageDigest digest = ContentId.newSha256();
    digest.update(blob.toBytes());
    digest.update(nodeKey);
    byte[] hash = digest.digest();
    long score = 0;
    for (int i = 0; i < 8; i++) {
      score = (score << 8) | (hash[i] & 0xff);
    }
    return score;
  }

  /**
   * Returns all {@code nodeKeys} ordered best first for {@code blob}, ignoring zones (as if each
   * node were a zone of its own); the first R are its placement, the rest are the order in which
   * to try others when one of those fails. Placing copies goes through {@link
   * #rankAcrossZones}, which refines this order.
   */
  public static List<byte[]> rank(ContentId blob, Collection<byte[]> nodeKeys) {
    List<Scored> scored = new ArrayList<>(nodeKeys.size());
    for (byte[] key : nodeKeys) {
      scored.add(new Scored(key, score(blob, key)));
    }
    scored.sort((a, b) -> {
      int byScore = Long.compareUnsigned(b.score, a.score);
      return byScore != 0 ? byScore : Arrays.compareUnsigned(a.key, b.key);
    });
    List<byte[]> ranked = new ArrayList<>(scored.size());
    for (Scored s : scored) {
      ranked.add(s.key);
    }
    return ranked;
  }

  /**
   * Returns the first {@code replicas} of {@link #rank} (fewer if fewer exist): the placement
   * when every node is its own zone.
   */
  public static List<byte[]> choose(ContentId blob, Collection<byte[]> nodeKeys, int replicas) {
    List<byte[]> ranked = rank(blob, nodeKeys);
    return ranked.subList(0, Math.min(replicas, ranked.size()));
  }

  /**
   * Returns {@code nodes} ordered for {@code blob} so that the first R lie in as many zones as
   * exist: the best node of every zone, by score, then the others by score. The first R are
   * its placement; the rest are the order in which to try others.
   */
  public static List<Node> rankAcrossZones(ContentId blob, Collection<Node> nodes) {
    List<Node> byScore = new ArrayList<>(nodes.size());
    List<byte[]> keys = new ArrayList<>(nodes.size());
    java.util.Map<ByteKey, Node> byKey = new java.util.HashMap<>();
    for (Node node : nodes) {
      keys.add(node.key());
      byKey.put(new ByteKey(node.key()), node);
    }
    for (byte[] key : rank(blob, keys)) {
      byScore.add(byKey.get(new ByteKey(key)));
    }
    List<Node> leaders = new ArrayList<>();
    List<Node> others = new ArrayList<>();
    Set<String> zonesSeen = new HashSet<>();
    for (Node node : byScore) {
      (zonesSeen.add(node.zone()) ? leaders : others).add(node);
    }
    leaders.addAll(others);
    return leaders;
  }

  /**
   * Returns the {@code replicas} nodes that should hold {@code blob}: in {@code replicas}
   * distinct zones when that many exist, else one per zone and the rest by rank.
   */
  public static List<Node> chooseAcrossZones(ContentId blob, Collection<Node> nodes,
      int replicas) {
    List<Node> ranked = rankAcrossZones(blob, nodes);
    return ranked.subList(0, Math.min(replicas, ranked.size()));
  }

  /** Returns how many distinct zones {@code nodes} span. */
  public static int zoneCount(Collection<Node> nodes) {
    Set<String> zones = new HashSet<>();
    nodes.forEach(node -> zones.add(node.zone()));
    return zones.size();
  }

  /** A node key as a map key (arrays compare by identity). */
  private record ByteKey(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ByteKey other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  private static final class Scored {
    final byte[] key;
    final long score;

    Scored(byte[] key, long score) {
      this.key = key;
      this.score = score;
    }
  }
}
