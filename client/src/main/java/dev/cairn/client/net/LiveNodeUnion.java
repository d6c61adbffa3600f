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
 * Merges the node lists of several metadata services into one list of live nodes (writers),
 * or of every node (readers), one record per node key: a node is live if any service that
 * answered lists it live (each service hears
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
    List<NodeInfo> live = new ArrayList<>();
    for (NodeInfo node : everyNode(answers)) {
      if (node.live()) {
        live.add(node);
      }
    }
    return live;
  }

  /**
   * Returns every node of {@code answers} (failed answers ignored), once per key, in
   * first-seen order: a live record if any service lists it live (then as {@link #of} picks
   * it), else the best informed of its dead ones; DISQUALIFIED if any service says so.
   */
  static List<NodeInfo> everyNode(List<MetaClient.ServiceAnswer<List<NodeInfo>>> answers) {
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
        best.merge(key, node, LiveNodeUnion::liveThenBetterInformed);
      }
    }
    List<NodeInfo> nodes = new ArrayList<>(best.size());
    best.forEach((key, node) -> nodes.add(disqualified.contains(key) ? disqualify(node) : node));
    return nodes;
  }

  private static NodeInfo liveThenBetterInformed(NodeInfo a, NodeInfo b) {
    if (a.live() != b.live()) {
      return a.live() ? a : b;
    }
    return betterInformed(a, b);
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
