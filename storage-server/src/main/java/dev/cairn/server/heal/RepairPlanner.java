package dev.cairn.server.heal;

import static java.util.Objects.requireNonNull;

import dev.cairn.server.heal.ClusterView.Need;
import dev.cairn.server.heal.ClusterView.Peer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.Placement;
import dev.cairn.wire.VettingShare;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.message.NodeStanding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Decides, from a {@link ClusterView}, what this node pulls and what it drops. Pure: no I/O.
 *
 * <p>A blob's <b>targets</b> are the first R of the live nodes that are neither disqualified by
 * the metadata service's audits, nor distrusted after this node's own audit of them, nor unable
 * to take it (they hold it, or report at least its size free), in zone-diverse rendezvous order
 * ({@link VettingShare#rankAcrossZones}: R distinct zones while that many eligible zones exist,
 * at most one node still being vetted among the first R). Every node computes the same targets
 * from the same view, so targets pull without coordination, and a full or disqualified node is
 * passed over the way a dead one is (the next node of its zone stands in, if any).
 *
 * <p>The safety rule: a node that holds a blob but is no target drops it only when every
 * target reports holding it (the holdings the metadata service got by heartbeat) and, since
 * a report is only a claim, after fetching and verifying each target's copy itself ({@link
 * Drop#verifyFirst}; a target that fails is reported and the copy stays). So
 * rebalancing never takes a blob below its targets' confirmed copies. And every round each
 * target spot-checks {@link #AUDITS_PER_ROUND} copies other targets claim of blobs it holds
 * itself and that have no chunk root (format 1 manifests), by reading them whole, so a node
 * that claims copies it does not have is reported (a hint that makes the metadata service audit
 * it promptly) even where nobody needs to read from it; blobs with a chunk root are audited a
 * chunk at a time by the {@link PeerAuditor} instead. A new node is filled before an old copy
 * goes. Blobs no kept version names are never dropped here (an upload in
 * progress may not be published yet); blobs only versions past a {@code keep-versions}
 * policy name are dropped.
 */
final class RepairPlanner {
  /** One blob to fetch: what it is and the holders to try, best first. */
  record Pull(Need need, List<Peer> sources) {}

  /**
   * A held copy to drop: the blob, and the targets whose copies must be verified first (none
   * for a blob only versions past a keep-versions policy name).
   */
  record Drop(ContentId id, Need need, List<Peer> verifyFirst) {}

  /** What one round does; {@code audits} are (blob, other target) pairs to spot-check. */
  record Plan(List<Pull> pulls, List<Drop> drops, List<Pull> audits, int underTarget) {}

  /** Claimed copies of other targets spot-checked per round (a sample, see {@link #plan}). */
  static final int AUDITS_PER_ROUND = 2;

  /** Rounds after which nodes next in rank back a target that does not take its copy. */
  static final int FALLBACK_ROUNDS = 3;

  private final PublicKey me;
  /** Per blob short of its targets: consecutive rounds seen so (only this planner's rounds). */
  private final Map<ContentId, Integer> shortRounds = new HashMap<>();
  private final java.util.Random random = new java.util.Random();

  RepairPlanner(PublicKey me) {
    this.me = requireNonNull(me, "me");
  }

  Plan plan(ClusterView view, Predicate<ContentId> heldHere, List<ContentId> heldIds) {
    return plan(view, heldHere, heldIds, (id, node) -> false);
  }

  /**
   * Plans like {@link #plan(ClusterView, Predicate, List)}, never choosing as a target of a
   * blob a node {@code distrusted} names for it (one that failed this node's audit of it,
   * {@link PeerAuditor}); the caller also leaves such nodes out of the view's holders.
   */
  Plan plan(ClusterView view, Predicate<ContentId> heldHere, List<ContentId> heldIds,
      BiPredicate<ContentId, PublicKey> distrusted) {
    List<Peer> liveKeys = new ArrayList<>(view.liveNodes().values());
    List<Pull> pulls = new ArrayList<>();
    List<Drop> drops = new ArrayList<>();
    List<Pull> audits = new ArrayList<>();
    long auditCandidates = 0;
    int under = 0;
    for (Need need : view.needs().values()) {
      List<PublicKey> holders = view.holders().getOrDefault(need.id(), List.of());
      Set<PublicKey> holding = new HashSet<>(holders);
      List<PublicKey> targets = targets(need, liveKeys, holding, need.replicas(), distrusted);
      boolean held = heldHere.test(need.id());
      if (!holding.containsAll(targets)) {
        under++;
        targets = withFallbacks(need, targets, liveKeys, holding, distrusted);
      } else {
        shortRounds.remove(need.id());
      }
      if (targets.contains(me) && held) {
        // Reservoir sample of the other targets' claimed copies: holdings are only claims. A
        // blob with a chunk root is left to the PeerAuditor, which checks one 64 KiB chunk
        // where a spot check reads the whole copy (issue 14's restore: these reads made the
        // donors send 1.4 to 12 times the bytes repair stored).
        for (PublicKey other : targets) {
          if (need.chunkRoot() == null && !other.equals(me) && holding.contains(other)) {
            auditCandidates++;
            Pull audit = new Pull(need, List.of(view.liveNodes().get(other)));
            if (audits.size() < AUDITS_PER_ROUND) {
              audits.add(audit);
            } else if (random.nextLong(auditCandidates) < AUDITS_PER_ROUND) {
              audits.set(random.nextInt(AUDITS_PER_ROUND), audit);
            }
          }
        }
      } else if (targets.contains(me) && !held) {
        List<Peer> sources = sources(holders, view);
        if (!sources.isEmpty()) {
          pulls.add(new Pull(need, sources));
        }
      } else if (held && !targets.contains(me) && targets.size() >= need.replicas()
          && holding.containsAll(targets)) {
        List<Peer> verify = new ArrayList<>();
        targets.forEach(target -> verify.add(view.liveNodes().get(target)));
        drops.add(new Drop(need.id(), need, verify));
      }
    }
    shortRounds.keySet().retainAll(view.needs().keySet());
    for (ContentId id : heldIds) {
      if (view.releasable().contains(id)) {
        drops.add(new Drop(id, null, List.of()));
      }
    }
    return new Plan(pulls, drops, audits, under);
  }

  /**
   * A target that stays without the blob for {@link #FALLBACK_ROUNDS} rounds (it refuses it:
   * quota, a disk fuller than it reported, or it keeps failing) is backed by the next eligible
   * nodes in rank, one per missing copy, which then count as targets: they pull, and keep the
   * copy until every proper target holds one.
   */
  private List<PublicKey> withFallbacks(Need need, List<PublicKey> targets,
      List<Peer> liveKeys, Set<PublicKey> holding,
      BiPredicate<ContentId, PublicKey> distrusted) {
    int rounds = shortRounds.merge(need.id(), 1, Integer::sum);
    if (rounds < FALLBACK_ROUNDS) {
      return targets;
    }
    int missing = (int) targets.stream().filter(t -> !holding.contains(t)).count();
    return targets(need, liveKeys, holding, targets.size() + missing, distrusted);
  }

  /** The first {@code count} eligible live nodes in zone-diverse rank order, vetting share kept. */
  private static List<PublicKey> targets(Need need, List<Peer> live, Set<PublicKey> holding,
      int count, BiPredicate<ContentId, PublicKey> distrusted) {
    List<Placement.Node> eligible = new ArrayList<>(live.size());
    Set<java.nio.ByteBuffer> vetting = new HashSet<>();
    for (Peer peer : live) {
      boolean hasRoom = holding.contains(peer.key()) || peer.freeBytes() >= need.sizeBytes();
      if (peer.standing() != NodeStanding.DISQUALIFIED && hasRoom
          && !distrusted.test(need.id(), peer.key())) {
        eligible.add(new Placement.Node(peer.key().toBytes(), peer.zone()));
        if (peer.standing() == NodeStanding.VETTING) {
          vetting.add(java.nio.ByteBuffer.wrap(peer.key().toBytes()));
        }
      }
    }
    List<PublicKey> targets = new ArrayList<>(count);
    for (Placement.Node node : VettingShare.rankAcrossZones(need.id(), eligible,
        key -> vetting.contains(java.nio.ByteBuffer.wrap(key)), count)) {
      if (targets.size() == count) {
        break;
      }
      targets.add(PublicKey.fromBytes(node.key()));
    }
    return targets;
  }

  private List<Peer> sources(List<PublicKey> holders, ClusterView view) {
    List<Peer> sources = new ArrayList<>();
    for (PublicKey holder : holders) {
      Peer peer = view.liveNodes().get(holder);
      if (peer != null && !holder.equals(me)) {
        sources.add(peer);
      }
    }
    // Best reputation first; the sort is stable, so equal scores keep the service's order.
    sources.sort(Comparator.comparingInt(Peer::score).reversed());
    return sources;
  }
}
