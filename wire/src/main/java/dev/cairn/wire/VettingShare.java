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
    return reorder(Placement.rank(blob, nodeKeys), vetting, replicas);
  }

  /**
   * Returns {@code nodes} in zone-diverse rank order for {@code blob} ({@link
   * Placement#rankAcrossZones}), with the vetting share applied to the first {@code replicas}
   * places: the one placement order writers, donors and the metadata service all use.
   */
  public static List<Placement.Node> rankAcrossZones(ContentId blob,
      Collection<Placement.Node> nodes, Predicate<byte[]> vetting, int replicas) {
    return reorder(Placement.rankAcrossZones(blob, nodes), n -> vetting.test(n.key()),
        replicas);
  }

  /**
   * Returns {@code ranked} with vetting nodes beyond {@link #VETTING_PER_BLOB_MAX} moved behind
   * the vetted ones for the first {@code replicas} places, other order kept.
   */
  public static <T> List<T> reorder(List<T> ranked, Predicate<T> vetting, int replicas) {
    List<T> first = new ArrayList<>(replicas);
    List<T> skipped = new ArrayList<>();
    List<T> rest = new ArrayList<>();
    int vettingChosen = 0;
    for (T node : ranked) {
      if (first.size() == replicas) {
        rest.add(node);
      } else if (!vetting.test(node)) {
        first.add(node);
      } else if (vettingChosen < VETTING_PER_BLOB_MAX) {
        first.add(node);
        vettingChosen++;
      } else {
        skipped.add(node);
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
