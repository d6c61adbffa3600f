package dev.cairn.client.fetch;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.net.MetaClient;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns blob ids into holder addresses for one query: asks a metadata service where the blobs
 * are ({@link MetaClient#placement}: nodes that report holding them first, then the nodes
 * placement says should hold them) and maps node keys to addresses with its node list. Live
 * nodes come before dead ones, and a node other donors have reported for serving bad bytes
 * (score at or below {@link #AVOIDED_SCORE_MAX}) is asked only when no one else holds the
 * blob. Nothing here is trusted: bytes are verified after fetching.
 */
public final class HolderDirectory {
  /** Nodes scored this low (that many distinct bad-bytes reports) are avoided by readers. */
  public static final int AVOIDED_SCORE_MAX = -3;

  private static final HexFormat HEX = HexFormat.of();

  private final MetaClient meta;
  private Map<String, NodeInfo> nodes;

  /** Creates a directory that asks {@code meta}. */
  public HolderDirectory(MetaClient meta) {
    this.meta = requireNonNull(meta, "meta");
  }

  /** Returns every node this metadata service knows (asked once). */
  public synchronized List<NodeInfo> nodes() {
    if (nodes == null) {
      nodes = new HashMap<>();
      for (NodeInfo n : meta.nodes()) {
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
    List<InetSocketAddress> live = new ArrayList<>();
    List<InetSocketAddress> dead = new ArrayList<>();
    List<InetSocketAddress> avoided = new ArrayList<>();
    for (String key : keys) {
      NodeInfo node = nodes.get(key);
      if (node == null) {
        continue;
      }
      try {
        InetSocketAddress address = HostPort.parse(node.address()).resolve();
        if (node.score() <= AVOIDED_SCORE_MAX) {
          avoided.add(address);
        } else {
          (node.live() ? live : dead).add(address);
        }
      } catch (CairnException e) {
        // A node with an unusable address cannot serve; the others may.
      }
    }
    live.addAll(dead);
    return live.isEmpty() ? avoided : live;
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
