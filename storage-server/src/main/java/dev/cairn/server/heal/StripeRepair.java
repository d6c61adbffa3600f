package dev.cairn.server.heal;

import static java.util.Objects.requireNonNull;

import dev.cairn.server.heal.ClusterView.Peer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.Placement;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.erasure.Stripe;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.message.NodeStanding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which shards of erasure-coded batches this node rebuilds. Pure: no I/O.
 *
 * <p>A stripe is repaired as soon as one of its k + m shards has no live holder (the repair
 * threshold is k + m: the durability model, docs/benchmarks.md, lost a third of all batches
 * when repair waited for the last spare shard), provided at least k shards are still held, since
 * fewer rebuild nothing. The node that rebuilds missing shard i is the first live node in
 * zone-diverse rendezvous order of shard i's id that holds no shard of the stripe, is not
 * disqualified, has room for a shard, and is not already the rebuilder of an earlier missing
 * shard of the same stripe: every node computes the same choice from the same view, so each
 * missing shard is rebuilt once, and shards stay one per node. The rebuilder pulls any k
 * verified shards, decodes, checks the result against the shard id the writer signed, and
 * stores it as an ordinary blob.
 */
final class StripeRepair {
  /** A kept erasure-coded batch: its shards, its code, and who pays for its shards. */
  record StripeNeed(BatchRef batch, String writerFingerprint, int dataShards,
      int parityShards) {
    int shardBytes() {
      return Stripe.shardBytes(batch.byteSize(), dataShards);
    }
  }

  /** One shard this node rebuilds, and the live holders of each shard it can read from. */
  record Rebuild(StripeNeed stripe, int shardIndex, Map<Integer, List<Peer>> sources) {}

  private StripeRepair() {}

  /** Returns the shards {@code me} should rebuild this round. */
  static List<Rebuild> plan(PublicKey me, List<StripeNeed> stripes,
      Map<ContentId, List<PublicKey>> shardHolders, Map<PublicKey, Peer> live) {
    List<Rebuild> rebuilds = new ArrayList<>();
    for (StripeNeed stripe : stripes) {
      List<ContentId> ids = stripe.batch().shardIds();
      Set<PublicKey> holding = new HashSet<>();
      Map<Integer, List<Peer>> sources = new java.util.TreeMap<>();
      List<Integer> missing = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        List<Peer> peers = new ArrayList<>();
        for (PublicKey holder : shardHolders.getOrDefault(ids.get(i), List.of())) {
          holding.add(holder);
          if (live.containsKey(holder) && !holder.equals(me)) {
            peers.add(live.get(holder));
          }
        }
        if (shardHolders.getOrDefault(ids.get(i), List.of()).isEmpty()) {
          missing.add(i);
        } else if (!peers.isEmpty()) {
          sources.put(i, peers);
        }
      }
      if (missing.isEmpty() || ids.size() - missing.size() < stripe.dataShards()
          || holding.contains(me)) {
        continue;
      }
      Set<PublicKey> chosen = new HashSet<>(holding);
      for (int index : missing) {
        PublicKey target = rebuilder(ids.get(index), stripe.shardBytes(), live, chosen);
        if (target == null) {
          break;
        }
        chosen.add(target);
        if (target.equals(me)) {
          rebuilds.add(new Rebuild(stripe, index, sources));
        }
      }
    }
    return rebuilds;
  }

  /** Returns the first eligible live node for {@code shard} not in {@code excluded}. */
  private static PublicKey rebuilder(ContentId shard, long shardBytes,
      Map<PublicKey, Peer> live, Set<PublicKey> excluded) {
    List<Placement.Node> eligible = new ArrayList<>();
    for (Peer peer : live.values()) {
      if (peer.standing() != NodeStanding.DISQUALIFIED && peer.freeBytes() >= shardBytes
          && !excluded.contains(peer.key())) {
        eligible.add(new Placement.Node(peer.key().toBytes(), peer.zone()));
      }
    }
    List<Placement.Node> ranked = Placement.rankAcrossZones(shard, eligible);
    return ranked.isEmpty() ? null : PublicKey.fromBytes(ranked.get(0).key());
  }
}
