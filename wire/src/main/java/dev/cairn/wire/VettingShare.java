package dev.cairn.wire;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * Rendezvous placement with a small share for nodes still being vetted (docs/operations.md,
 * "Reputation"): among a blob's first R nodes at most one is a vetting node, as long as
 * enough vetted nodes exist; when they do not (a young cluster), vetting nodes fill the
 * remaining places in rank order, so availability never waits on vetting. Writers, donors
 * and the metadata service apply it to the same node list and so still agree.
 */
public final class VettingShare {
  /** Most vetting nodes among a blob's first R while enough vetted nodes exist. */
  public static final int VETTING_PER_BLOB_MAX = 1;

  private VettingShare() {}

  /**
   * Returns {@code nodeKeys} ordered best first for {@code blob} ({@link Placement#rank}),
   * with vetting nodes beyond the first moved behind the vetted ones for the first {@code
   * replicas} places.
   */
  public static List<byte[]> rank(ContentId blob, Collection<byte[]> nodeKeys,
      Predicate<byte[]> vetting, int replicas) {
    List<byte[]> ranked = Placement.rank(blob, nodeKeys);
    List<byte[]> first = new ArrayList<>(replicas);
    List<byte[]> skipped = new ArrayList<>();
    List<byte[]> rest = new ArrayList<>();
    int vettingChosen = 0;
    for (byte[] key : ranked) {
      if (first.size() == replicas) {
        rest.add(key);
      } else if (!vetting.test(key)) {
        first.add(key);
      } else if (vettingChosen < VETTING_PER_BLOB_MAX) {
        first.add(key);
        vettingChosen++;
      } else {
        skipped.add(key);
      }
    }
    while (first.size() < replicas && !skipped.isEmpty()) {
      first.add(skipped.remove(0));
    }
    first.addAll(skipped);
    first.addAll(rest);
    return first;
  }
}
