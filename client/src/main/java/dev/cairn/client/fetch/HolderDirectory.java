package dev.cairn.client.fetch;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.net.MetaClient;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.Placement;
import dev.cairn.wire.VettingShare;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.RedundancyPolicy;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns blob ids into holder addresses for one query: asks a metadata service where the blobs
 * are ({@link MetaClient#placement}: nodes that report holding them first, then the nodes
 * placement says should hold them) and maps node keys to addresses with the union of every
 * service's node list ({@link MetaClient#everyNode}). Live nodes come before dead ones, each
 * group by audit reputation, best first ({@link #byReputation}); a node the services' audits
 * disqualified comes last, asked only when no one else answers (it is never dropped: the last
 * responsive holder is worth a try). Nothing here is trusted: bytes are verified after
 * fetching.
 *
 * <p>A service names only the holdings donors have reported in heartbeats, and places only on
 * nodes it sees live. Right after a publish, or while heartbeats run late (a loaded machine,
 * a service that just restarted), that can leave out where a copy or shard really is, and a
 * shard's placement by its own id is not where the writer put it (by its batch id). So {@link
 * #holdersOf} also names the nodes the writer's own rule chose (docs/protocol.md 9.4.1) among
 * every node any service knows, live or not: the first R (or k + m) of the batch's placement
 * order and {@link #WRITER_FALLBACKS} more, where a copy goes when a first choice refused it.
 */
public final class HolderDirectory {

  private static final HexFormat HEX = HexFormat.of();
  /** Nodes past the first R (or k + m) of the writer's order also named as possible holders. */
  static final int WRITER_FALLBACKS = 3;

  private final MetaClient meta;
  private Map<String, NodeInfo> nodes;

  /** Creates a directory that asks {@code meta}. */
  public HolderDirectory(MetaClient meta) {
    this.meta = requireNonNull(meta, "meta");
  }

  /**
   * Returns every node the metadata services know (asked once), live if any of them lists it
   * live: one service alone may have just restarted and know no donor yet.
   */
  public synchronized List<NodeInfo> nodes() {
    if (nodes == null) {
      nodes = new HashMap<>();
      for (NodeInfo n : meta.everyNode()) {
        nodes.put(HEX.formatHex(n.nodeKey()), n);
      }
    }
    return new ArrayList<>(nodes.values());
  }

  /** Returns the holder addresses of each id, in order. */
  public Map<ContentId, List<InetSocketAddress>> holders(int replicas, List<ContentId> ids) {
    nodes();
    Map<ContentId, List<InetSocketAddress>> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    List<BlobPlacement> placements = placements(replicas, ids);
    for (int i = 0; i < ids.size(); i++) {
      out.put(ids.get(i), addresses(placements.get(i)));
    }
    return out;
  }

  /**
   * Returns the holder addresses of every blob of {@code batches} stored under {@code
   * redundancy} (each batch's blob, or each of its shards): the service's placement rows, then
   * the nodes the writer's placement rule chose (see the class comment).
   */
  public Map<ContentId, List<InetSocketAddress>> holdersOf(RedundancyPolicy redundancy,
      List<BatchRef> batches) {
    nodes();
    int slots = redundancy.donorsPerBatch();
    List<ContentId> ids = new ArrayList<>();
    List<ContentId> placedBy = new ArrayList<>();
    for (BatchRef batch : batches) {
      for (ContentId id : redundancy.isErasure() ? batch.shardIds() : List.of(batch.id())) {
        ids.add(id);
        placedBy.add(batch.id());
      }
    }
    Map<ContentId, List<InetSocketAddress>> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    List<BlobPlacement> placements = placements(slots, ids);
    List<Placement.Node> everyNode = placementNodes();
    Set<String> vetting = vettingKeys();
    Map<ContentId, List<String>> writerOrder = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      List<String> writerChoice = writerOrder.computeIfAbsent(placedBy.get(i),
          batch -> writerChoice(batch, everyNode, vetting, slots));
      out.put(ids.get(i), addresses(placements.get(i), writerChoice));
    }
    return out;
  }

  /** Every known node as placement sees it, disqualified ones left out as placement does. */
  private synchronized List<Placement.Node> placementNodes() {
    List<Placement.Node> out = new ArrayList<>();
    for (NodeInfo node : nodes.values()) {
      if (node.standing() != NodeStanding.DISQUALIFIED) {
        out.add(node.placementNode());
      }
    }
    return out;
  }

  /** Returns the keys (hex) of the nodes still being vetted, which placement holds back. */
  private synchronized Set<String> vettingKeys() {
    Set<String> out = new java.util.HashSet<>();
    nodes.forEach((key, node) -> {
      if (node.standing() == NodeStanding.VETTING) {
        out.add(key);
      }
    });
    return out;
  }

  /** Returns the keys (hex) of the first {@code slots} + fallbacks nodes the writer ranks. */
  private static List<String> writerChoice(ContentId batch, List<Placement.Node> nodes,
      Set<String> vetting, int slots) {
    List<Placement.Node> ranked = VettingShare.rankAcrossZones(batch, nodes,
        key -> vetting.contains(HEX.formatHex(key)), slots);
    List<String> out = new ArrayList<>();
    for (Placement.Node node : ranked.subList(0, Math.min(ranked.size(),
        slots + WRITER_FALLBACKS))) {
      out.add(HEX.formatHex(node.key()));
    }
    return out;
  }

  /** Returns the placement rows of {@code ids}, in order. */
  public List<BlobPlacement> placements(int replicas, List<ContentId> ids) {
    return meta.placement(Math.max(1, Math.min(255, replicas)), ids);
  }

  /** Returns the holders of one placement row as addresses: live reported holders first. */
  public List<InetSocketAddress> addresses(BlobPlacement placement) {
    return addresses(placement, List.of());
  }

  /**
   * Returns the holders of one placement row and then the nodes {@code alsoKeys} (hex) names,
   * as addresses: live reported holders first.
   */
  private synchronized List<InetSocketAddress> addresses(BlobPlacement placement,
      List<String> alsoKeys) {
    Set<String> keys = new LinkedHashSet<>();
    placement.holders().forEach(k -> keys.add(HEX.formatHex(k)));
    placement.placed().forEach(k -> keys.add(HEX.formatHex(k)));
    keys.addAll(alsoKeys);
    List<NodeInfo> known = new ArrayList<>();
    for (String key : keys) {
      NodeInfo node = nodes.get(key);
      if (node != null) {
        known.add(node);
      }
    }
    known.sort(byReputation());
    List<InetSocketAddress> out = new ArrayList<>();
    for (NodeInfo node : known) {
      try {
        out.add(HostPort.parse(node.address()).resolve());
      } catch (CairnException e) {
        // A node with an unusable address cannot serve; the others may.
      }
    }
    return out;
  }

  /**
   * The order readers ask holders in: live before dead, disqualified last of all, and within
   * each group the better audit reputation first. Stable, so equals keep placement's order.
   */
  static Comparator<NodeInfo> byReputation() {
    return Comparator.comparing((NodeInfo n) -> n.standing() == NodeStanding.DISQUALIFIED)
        .thenComparing(n -> !n.live())
        .thenComparing(Comparator.comparingInt(NodeInfo::score).reversed());
  }

  /** Returns the address text of each holder key, for the batches system table. */
  public String describe(BlobPlacement placement) {
    nodes();
    List<String> out = new ArrayList<>();
    for (byte[] key : placement.holders()) {
      NodeInfo node = nodes.get(HEX.formatHex(key));
      out.add(node == null ? HEX.formatHex(key).substring(0, 16) : node.address());
    }
    return String.join(",", out);
  }
}
