package dev.cairn.client.fetch;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.net.MetaClient;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.HostPort;
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
 */
public final class HolderDirectory {

  private static final HexFormat HEX = HexFormat.of();

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

  /** Returns the placement rows of {@code ids}, in order. */
  public List<BlobPlacement> placements(int replicas, List<ContentId> ids) {
    return meta.placement(Math.max(1, Math.min(255, replicas)), ids);
  }

  /** Returns the holders of one placement row as addresses: live reported holders first. */
  public List<InetSocketAddress> addresses(BlobPlacement placement) {
    Set<String> keys = new LinkedHashSet<>();
    placement.holders().forEach(k -> keys.add(HEX.formatHex(k)));
    placement.placed().forEach(k -> keys.add(HEX.formatHex(k)));
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
