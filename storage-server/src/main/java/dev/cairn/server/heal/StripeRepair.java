package dev.cairn.server.heal;

import dev.cairn.server.heal.ClusterView.Peer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.Placement;
import dev.cairn.wire.VettingShare;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.erasure.Stripe;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.message.NodeStanding;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides which shards of erasure-coded batches this node takes (rebuilds or copies) and which
 * it lets go. Pure: no I/O.
 *
 * <p>A stripe's <b>places</b> are the first k + m eligible live nodes (not disqualified, with
 * room for a shard or holding one) in zone-diverse rendezvous order of the <em>batch</em> id,
 * the vetting share applied: the same nodes a writer uploads the shards to. Each shard keeps
 * the best-ranked place that holds it; the shards no place keeps are paired, in index order,
 * with the places holding none, in rank order. A paired place copies its shard from a live
 * holder, or, when nobody holds it, rebuilds it from any k verified shards (repair starts at
 * the first missing shard, see docs/benchmarks.md). A node holding a shard whose place is
 * another node lets it go once that place reports holding it and its copy verifies. Every
 * node computes the same pairing from the same view, so each shard gets one taker; a donor
 * that joins takes over the shards of the places it enters, one shard per stripe whose places
 * it enters, and a donor lost and replaced costs one rebuild per stripe it held a shard of.
 */
final class StripeRepair {
  /** A kept erasure-coded batch: its shards, its code, and who pays for its shards. */
  record StripeNeed(BatchRef batch, String writerFingerprint, int dataShards,
      int parityShards) {
    int shardBytes() {
      return Stripe.shardBytes(batch.byteSize(), dataShards);
    }
  }

  /**
   * One shard this node takes: copied from {@code sources.get(shardIndex)} when someone holds
   * it, else rebuilt from the live holders of the other shards in {@code sources}.
   */
  record Rebuild(StripeNeed stripe, int shardIndex, Map<Integer, List<Peer>> sources) {
    /** True when a live node other than this one holds the shard itself. */
    boolean copyable() {
      return sources.containsKey(shardIndex);
    }
  }

  /** A shard this node holds and may drop once {@code place}'s copy verifies. */
  record Release(StripeNeed stripe, int shardIndex, Peer place) {}

  /** What this node does for stripes this round. */
  record Plan(List<Rebuild> rebuilds, List<Release> releases) {}

  private StripeRepair() {}

  /** Returns what {@code me} takes and lets go this round. */
  static Plan plan(PublicKey me, List<StripeNeed> stripes,
      Map<ContentId, List<PublicKey>> shardHolders, Map<PublicKey, Peer> live) {
    List<Rebuild> rebuilds = new ArrayList<>();
    List<Release> releases = new ArrayList<>();
    for (StripeNeed stripe : stripes) {
      List<ContentId> ids = stripe.batch().shardIds();
      List<List<PublicKey>> holders = new ArrayList<>(ids.size());
      Set<PublicKey> holding = new HashSet<>();
      int held = 0;
      for (ContentId id : ids) {
        List<PublicKey> of = shardHolders.getOrDefault(id, List.of());
        holders.add(of);
        holding.addAll(of);
        held += of.isEmpty() ? 0 : 1;
      }
      Map<Integer, PublicKey> placeOf = assign(places(stripe, live, holding), holders);
      for (Map.Entry<Integer, PublicKey> entry : placeOf.entrySet()) {
        int index = entry.getKey();
        PublicKey place = entry.getValue();
        List<PublicKey> of = holders.get(index);
        boolean obtainable = !of.isEmpty() || held >= stripe.dataShards();
        if (place.equals(me) && !of.contains(me) && obtainable) {
          rebuilds.add(new Rebuild(stripe, index, sources(me, holders, live)));
        } else if (!place.equals(me) && of.contains(me) && of.contains(place)) {
          releases.add(new Release(stripe, index, live.get(place)));
        }
      }
    }
    return new Plan(rebuilds, releases);
  }

  /** The stripe's k + m places, best first (fewer when fewer nodes are eligible). */
  static List<PublicKey> places(StripeNeed stripe, Map<PublicKey, Peer> live,
      Set<PublicKey> holding) {
    List<Placement.Node> eligible = new ArrayList<>();
    Set<ByteBuffer> vetting = new HashSet<>();
    for (Peer peer : live.values()) {
      boolean room = holding.contains(peer.key()) || peer.freeBytes() >= stripe.shardBytes();
      if (peer.standing() != NodeStanding.DISQUALIFIED && room) {
        eligible.add(new Placement.Node(peer.key().toBytes(), peer.zone()));
        if (peer.standing() == NodeStanding.VETTING) {
          vetting.add(ByteBuffer.wrap(peer.key().toBytes()));
        }
      }
    }
    int count = stripe.batch().shardIds().size();
    List<PublicKey> places = new ArrayList<>(count);
    for (Placement.Node node : VettingShare.rankAcrossZones(stripe.batch().id(), eligible,
        key -> vetting.contains(ByteBuffer.wrap(key)), count)) {
      if (places.size() == count) {
        break;
      }
      places.add(PublicKey.fromBytes(node.key()));
    }
    return places;
  }

  /**
   * Pairs shards with places: each shard first to the best-ranked place holding it that no
   * earlier shard took, then the rest in index order to the free places in rank order.
   */
  private static Map<Integer, PublicKey> assign(List<PublicKey> places,
      List<List<PublicKey>> holders) {
    Map<Integer, PublicKey> placeOf = new TreeMap<>();
    Set<PublicKey> taken = new HashSet<>();
    List<Integer> unplaced = new ArrayList<>();
    for (int i = 0; i < holders.size(); i++) {
      PublicKey keeper = null;
      for (PublicKey place : places) {
        if (!taken.contains(place) && holders.get(i).contains(place)) {
          keeper = place;
          break;
        }
      }
      if (keeper == null) {
        unplaced.add(i);
      } else {
        placeOf.put(i, keeper);
        taken.add(keeper);
      }
    }
    int next = 0;
    for (PublicKey place : places) {
      if (next == unplaced.size()) {
        break;
      }
      if (!taken.contains(place)) {
        placeOf.put(unplaced.get(next++), place);
      }
    }
    return placeOf;
  }

  /** The live holders of each held shard, this node left out, by shard index. */
  private static Map<Integer, List<Peer>> sources(PublicKey me, List<List<PublicKey>> holders,
      Map<PublicKey, Peer> live) {
    Map<Integer, List<Peer>> sources = new LinkedHashMap<>();
    for (int i = 0; i < holders.size(); i++) {
      List<Peer> peers = new ArrayList<>();
      for (PublicKey holder : holders.get(i)) {
        if (!holder.equals(me) && live.containsKey(holder)) {
          peers.add(live.get(holder));
        }
      }
      if (!peers.isEmpty()) {
        sources.put(i, peers);
      }
    }
    return sources;
  }
}
