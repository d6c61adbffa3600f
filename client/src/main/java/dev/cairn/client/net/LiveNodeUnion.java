package dev.cairn.client.net;

import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges the node lists of several metadata services into one list of live nodes, one record
 * per node key: a node is live if any service that answered lists it live (each service hears
 * the heartbeats on its own, so one may not know a node yet, or have missed its heartbeats).
 *
 * <p>Of a node's live records the one kept is that of the service that has audited it most
 * (the best informed about its standing; a service just restarted has audited nothing yet and
 * would call every node VETTING), the least silent on a tie. A node that any service has
 * DISQUALIFIED is kept as DISQUALIFIED, so the union never gives new copies to a node one
 * service caught failing audits.
 */
final class LiveNodeUnion {
  private static final HexFormat HEX = HexFormat.of();

  private LiveNodeUnion() {}

  /** Returns the live nodes of {@code answers} (failed answers ignored), in first-seen order. */
  static List<NodeInfo> of(List<MetaClient.ServiceAnswer<List<NodeInfo>>> answers) {
    Map<String, NodeInfo> best = new LinkedHashMap<>();
    Set<String> disqualified = new HashSet<>();
    for (MetaClient.ServiceAnswer<List<NodeInfo>> answer : answers) {
      if (answer.value() == null) {
        continue;
      }
      for (NodeInfo node : answer.value()) {
        String key = HEX.formatHex(node.nodeKey());
        if (node.standing() == NodeStanding.DISQUALIFIED) {
          disqualified.add(key);
        }
        if (node.live()) {
          best.merge(key, node, LiveNodeUnion::betterInformed);
        }
      }
    }
    List<NodeInfo> live = new ArrayList<>(best.size());
    best.forEach((key, node) -> live.add(disqualified.contains(key) ? disqualify(node) : node));
    return live;
  }

  private static NodeInfo betterInformed(NodeInfo a, NodeInfo b) {
    long auditsA = audits(a);
    long auditsB = audits(b);
    if (auditsA != auditsB) {
      return auditsA > auditsB ? a : b;
    }
    return a.silenceMillis() <= b.silenceMillis() ? a : b;
  }

  private static long audits(NodeInfo node) {
    return node.auditsPassed() + node.auditsFailed() + node.auditsUnanswered();
  }

  private static NodeInfo disqualify(NodeInfo n) {
    return new NodeInfo(n.nodeKey(), n.address(), n.live(), n.capacityBytes(), n.usedBytes(),
        n.blobCount(), n.silenceMillis(), n.score(), NodeStanding.DISQUALIFIED,
        n.auditsPassed(), n.auditsFailed(), n.auditsUnanswered(), n.zone());
  }
}
