package dev.cairn.client.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Readers ask live holders first, the better reputation first, and disqualified ones last. */
class HolderOrderTest {
  private static NodeInfo node(String address, boolean live, int score, NodeStanding standing) {
    return new NodeInfo(new byte[32], address, live, 1, 0, 0, 0, score, standing, 0, 0, 0, "z");
  }

  @Test
  void disqualifiedLastDeadAfterLiveBetterReputationFirst() {
    List<NodeInfo> nodes = new ArrayList<>(List.of(
        node("dq:1", true, 1_000_000, NodeStanding.DISQUALIFIED),
        node("dead:1", false, 1_000_000, NodeStanding.ACTIVE),
        node("fair:1", true, 800_000, NodeStanding.ACTIVE),
        node("new:1", true, 1_000_000, NodeStanding.VETTING),
        node("good:1", true, 950_000, NodeStanding.ACTIVE)));
    nodes.sort(HolderDirectory.byReputation());
    assertEquals(List.of("new:1", "good:1", "fair:1", "dead:1", "dq:1"),
        nodes.stream().map(NodeInfo::address).toList());
  }
}
