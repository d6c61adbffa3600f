package dev.cairn.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules by which the node lists of several services become one list of live nodes. */
class LiveNodeUnionTest {
  private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 1);
  private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 2);

  private static NodeInfo node(int key, boolean live, long silenceMillis, long audits,
      NodeStanding standing) {
    byte[] nodeKey = new byte[32];
    Arrays.fill(nodeKey, (byte) key);
    return new NodeInfo(nodeKey, "h:" + key, live, 1L << 30, 0, 0, silenceMillis,
        NodeInfo.SCORE_PERFECT, standing, audits, 0, 0, "z");
  }

  private static MetaClient.ServiceAnswer<List<NodeInfo>> answer(InetSocketAddress service,
      NodeInfo... nodes) {
    return new MetaClient.ServiceAnswer<>(service, List.of(nodes), null);
  }

  @Test
  void aNodeLiveAtAnyServiceIsLiveOnceAndAFailedServiceCountsForNothing() {
    List<NodeInfo> live = LiveNodeUnion.of(List.of(
        answer(A, node(1, true, 10, 0, NodeStanding.ACTIVE), node(2, false, 40_000, 0,
            NodeStanding.ACTIVE)),
        answer(B, node(2, true, 10, 0, NodeStanding.ACTIVE), node(1, true, 20, 0,
            NodeStanding.ACTIVE), node(3, false, 40_000, 0, NodeStanding.ACTIVE)),
        new MetaClient.ServiceAnswer<>(B, null, new CairnException(ErrorCode.IO_ERROR, "down"))));
    assertEquals(List.of("h:1", "h:2"), live.stream().map(NodeInfo::address).toList());
    assertEquals(10, live.get(0).silenceMillis(), "the least silent record on equal audits");
  }

  @Test
  void theBestInformedServiceGivesTheStandingAndADisqualificationAnywhereStays() {
    List<NodeInfo> live = LiveNodeUnion.of(List.of(
        answer(A, node(1, true, 10, 0, NodeStanding.VETTING), node(2, true, 10, 50,
            NodeStanding.ACTIVE)),
        answer(B, node(1, true, 90, 30, NodeStanding.ACTIVE), node(2, false, 40_000, 60,
            NodeStanding.DISQUALIFIED))));
    assertEquals(NodeStanding.ACTIVE, live.get(0).standing(),
        "a just restarted service's VETTING does not override one that audited it");
    assertEquals(NodeStanding.DISQUALIFIED, live.get(1).standing());
  }

  @Test
  void everyNodeKeepsDeadOnesOnceAndPrefersALiveRecord() {
    List<NodeInfo> every = LiveNodeUnion.everyNode(List.of(
        answer(A, node(1, false, 40_000, 90, NodeStanding.ACTIVE), node(3, false, 50_000, 0,
            NodeStanding.ACTIVE)),
        answer(B, node(1, true, 10, 0, NodeStanding.VETTING), node(2, true, 10, 0,
            NodeStanding.ACTIVE), node(3, false, 40_000, 0, NodeStanding.ACTIVE))));
    assertEquals(List.of("h:1", "h:3", "h:2"), every.stream().map(NodeInfo::address).toList());
    assertEquals(true, every.get(0).live(), "live at one service is live");
    assertEquals(40_000, every.get(1).silenceMillis(), "of dead records, the least silent");
  }
}
