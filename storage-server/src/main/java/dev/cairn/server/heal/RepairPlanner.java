package dev.cairn.server.heal;

import static java.util.Objects.requireNonNull;

import dev.cairn.server.heal.ClusterView.Need;
import dev.cairn.server.heal.ClusterView.Peer;
import dev.cairn.wire.ContentId;
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
import java.util.function.Predicate;

/**
 * Decides, from a {@link ClusterView}, what this node pulls and what it drops. Pure: no I/O.
 *
 * <p>A blob's <b>targets</b> are the first R live nodes in its rendezvous rank, with at most
 * one node still being vetted among the first R ({@link VettingShare#rank}), that are neither
 * disqualified by the metadata service's audits nor unable to take it (they hold it, or
 * report at least its size free). Every node computes the same targets from the same view,
 * so targets pull without coordination, and a full or disqualified node is passed over the
 * way a dead one is.
 *
 * <p>The safety rule: a node that holds a blob but is no target drops it only when every
 * target reports holding it (the holdings the metadata service got by heartbeat) and, since
 * a report is only a claim, after fetching and verifying each target's copy itself ({@link
 * Drop#verifyFirst}; a target that fails is reported and the copy stays). So
 * rebalancing never takes a blob below its targets' confirmed copies. And every round each
 * target spot-checks {@link #AUDITS_PER_ROUND} copies other targets claim of blobs it holds
 * itself, so a node that claims copies it does not have is reported (a hint that makes the
 * metadata service audit it promptly) even where nobody needs to read from it; a new node is
 * filled
 * before an old copy goes. Blobs no kept version names are never dropped here (an upload in
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
    List<byte[]> liveKeys = new ArrayList<>();
    Map<ByteKey, Peer> byBytes = new HashMap<>();
    for (Peer peer : view.liveNodes().values()) {
      liveKeys.add(peer.key().toBytes());
      byBytes.put(new ByteKey(peer.key().toBytes()), peer);
    }
    List<Pull> pulls = new ArrayList<>();
    List<Drop> drops = new ArrayList<>();
    List<Pull> audits = new ArrayList<>();
    long auditCandidates = 0;
    int under = 0;
    for (Need need : view.needs().values()) {
      List<PublicKey> holders = view.holders().getOrDefault(need.id(), List.of());
      Set<PublicKey> holding = new HashSet<>(holders);
      List<PublicKey> targets = targets(need, liveKeys, byBytes, holding, need.replicas());
      boolean held = heldHere.test(need.id());
      if (!holding.containsAll(targets)) {
        under++;
        targets = withFallbacks(need, targets, liveKeys, byBytes, holding);
      } else {
        shortRounds.remove(need.id());
      }
      if (targets.contains(me) && held) {
        // Reservoir sample of the other targets' claimed copies: holdings are only claims.
        for (PublicKey other : targets) {
          if (!other.equals(me) && holding.contains(other)) {
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
      List<byte[]> liveKeys, Map<ByteKey, Peer> byBytes, Set<PublicKey> holding) {
    int rounds = shortRounds.merge(need.id(), 1, Integer::sum);
    if (rounds < FALLBACK_ROUNDS) {
      return targets;
    }
    int missing = (int) targets.stream().filter(t -> !holding.contains(t)).count();
    return targets(need, liveKeys, byBytes, holding, targets.size() + missing);
  }

  private static List<PublicKey> targets(Need need, List<byte[]> liveKeys,
      Map<ByteKey, Peer> byBytes, Set<PublicKey> holding, int count) {
    List<PublicKey> targets = new ArrayList<>(count);
    List<byte[]> ranked = VettingShare.rank(need.id(), liveKeys,
        key -> byBytes.get(new ByteKey(key)).standing() == NodeStanding.VETTING, count);
    for (byte[] key : ranked) {
      if (targets.size() == count) {
        break;
      }
      Peer peer = byBytes.get(new ByteKey(key));
      boolean hasRoom = holding.contains(peer.key()) || peer.freeBytes() >= need.sizeBytes();
      if (peer.standing() != NodeStanding.DISQUALIFIED && hasRoom) {
        targets.add(peer.key());
      }
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

  /** A node key as a map key (arrays compare by identity). */
  private record ByteKey(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ByteKey other && java.util.Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(bytes);
    }
  }
}
