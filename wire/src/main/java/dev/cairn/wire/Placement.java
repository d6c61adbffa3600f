package dev.cairn.wire;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Rendezvous (highest-random-weight) placement: which nodes should hold a blob.
 *
 * <p>Every node gets a score for every blob: the first 8 bytes, as an unsigned big-endian
 * number, of SHA-256(blob id ‖ node key), both as raw 32 bytes. The R nodes with the highest
 * scores hold the blob; ties (practically impossible) go to the smaller node key. Writers,
 * donors and the metadata service compute this alone from the list of live nodes and agree
 * without talking: when a node joins or leaves, only the blobs it wins or held move
 * (docs/protocol.md, "Placement").
 */
public final class Placement {
  private Placement() {}

  /** Returns the score of {@code nodeKey} (32 raw bytes) for {@code blob}. */
  public static long score(ContentId blob, byte[] nodeKey) {
    MessageDigest digest = ContentId.newDigest();
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
   * Returns all {@code nodeKeys} ordered best first for {@code blob}; the first R are its
   * placement, the rest are the order in which to try others when one of those fails.
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

  /** Returns the {@code replicas} nodes that should hold {@code blob} (fewer if fewer exist). */
  public static List<byte[]> choose(ContentId blob, Collection<byte[]> nodeKeys, int replicas) {
    List<byte[]> ranked = rank(blob, nodeKeys);
    return ranked.subList(0, Math.min(replicas, ranked.size()));
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
