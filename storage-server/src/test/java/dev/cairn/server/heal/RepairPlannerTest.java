package dev.cairn.server.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.server.heal.ClusterView.Need;
import dev.cairn.server.heal.ClusterView.Peer;
import dev.cairn.server.heal.RepairPlanner.Plan;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.Placement;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.message.NodeStanding;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The planner's rules on hand-made views: who pulls, who drops, and when nobody drops. */
class RepairPlannerTest {
  private final List<PublicKey> keys = new ArrayList<>();
  private final ContentId blob = ContentId.of(new byte[] {1, 2, 3});
  private final Need need = new Need(blob, "writer", 2, 100);

  RepairPlannerTest() {
    for (int i = 0; i < 4; i++) {
      keys.add(SigningKey.generate(new SecureRandom()).publicKey());
    }
  }

  /** Returns the nodes in the blob's rank order. */
  private List<PublicKey> ranked() {
    List<PublicKey> ranked = new ArrayList<>();
    for (byte[] key : Placement.rank(blob, keys.stream().map(PublicKey::toBytes).toList())) {
      ranked.add(PublicKey.fromBytes(key));
    }
    return ranked;
  }

  private ClusterView view(List<PublicKey> holders, Map<PublicKey, NodeStanding> standings,
      Set<PublicKey> full) {
    Map<PublicKey, Peer> live = new HashMap<>();
    for (PublicKey key : keys) {
      NodeStanding standing = standings.getOrDefault(key, NodeStanding.ACTIVE);
      live.put(key, new Peer(key, "127.0.0.1:1", full.contains(key) ? 10 : 1 << 20,
          standing == NodeStanding.DISQUALIFIED ? 0 : 1_000_000, standing,
          key.fingerprint().toString()));
    }
    return new ClusterView(Map.of(blob, need), Set.of(), live, Map.of(blob, holders));
  }

  @Test
  void aHolderThatFailedOurAuditIsNeitherCountedNorChosenAsTarget() {
    List<PublicKey> r = ranked();
    PublicKey failed = r.get(1);
    ClusterView all = view(List.of(r.get(0), failed, r.get(2)), Map.of(), Set.of());
    Plan trusting = new RepairPlanner(r.get(2)).plan(all, id -> true, List.of(blob));
    assertEquals(1, trusting.drops().size(), "a spare copy while the targets hold theirs");

    ClusterView wary = view(List.of(r.get(0), r.get(2)), Map.of(), Set.of());
    Plan keeping = new RepairPlanner(r.get(2)).plan(wary, id -> true, List.of(blob),
        (id, node) -> node.equals(failed));
    assertTrue(keeping.drops().isEmpty(), "the copy stays in place of the failed one");
    Plan pulling = new RepairPlanner(r.get(2)).plan(wary, id -> false, List.of(),
        (id, node) -> node.equals(failed));
    assertEquals(1, pulling.pulls().size(), "the next node in rank takes its place");
    assertEquals(List.of(r.get(0)), pulling.pulls().get(0).sources().stream()
        .map(ClusterView.Peer::key).toList());
  }

  @Test
  void onlyBlobsWithoutAChunkRootAreSpotCheckedByReadingThemWhole() {
    List<PublicKey> r = ranked();
    Map<PublicKey, Peer> live = new HashMap<>();
    for (PublicKey key : keys) {
      live.put(key, new Peer(key, "127.0.0.1:1", 1 << 20, 1_000_000, NodeStanding.ACTIVE,
          key.fingerprint().toString()));
    }
    Need rooted = new Need(blob, "writer", 2, 100, ContentId.of(new byte[] {9}));
    List<PublicKey> targets = List.of(r.get(0), r.get(1));
    Plan withRoot = new RepairPlanner(r.get(0)).plan(new ClusterView(Map.of(blob, rooted),
        Set.of(), live, Map.of(blob, targets)), id -> true, List.of(blob));
    assertTrue(withRoot.audits().isEmpty(), "the chunk auditor covers a blob with a root");
    Plan withoutRoot = new RepairPlanner(r.get(0)).plan(new ClusterView(Map.of(blob, need),
        Set.of(), live, Map.of(blob, targets)), id -> true, List.of(blob));
    assertEquals(List.of(r.get(1)), withoutRoot.audits().stream()
        .map(audit -> audit.sources().get(0).key()).toList(), "the other target's copy");
  }

  @Test
  void aTargetWithoutTheBlobPullsItFromTheHolders() {
    List<PublicKey> r = ranked();
    Plan plan = new RepairPlanner(r.get(0)).plan(view(List.of(r.get(1), r.get(2)), Map.of(),
        Set.of()), id -> false, List.of());
    assertEquals(1, plan.pulls().size());
    assertEquals(2, plan.pulls().get(0).sources().size());
    assertEquals(1, plan.underTarget());
  }

  @Test
  void anExtraCopyIsDroppedOnlyWhenEveryTargetConfirmedItsOwn() {
    List<PublicKey> r = ranked();
    RepairPlanner third = new RepairPlanner(r.get(2));
    Plan waiting = third.plan(view(List.of(r.get(0), r.get(2)), Map.of(), Set.of()),
        id -> true, List.of(blob));
    assertTrue(waiting.drops().isEmpty(), "target 2 has not confirmed yet");
    Plan confirmed = third.plan(view(List.of(r.get(0), r.get(1), r.get(2)), Map.of(),
        Set.of()), id -> true, List.of(blob));
    assertEquals(1, confirmed.drops().size());
    assertEquals(2, confirmed.drops().get(0).verifyFirst().size(), "both targets are verified");
  }

  @Test
  void fullAndDisqualifiedNodesArePassedOverLikeDeadOnes() {
    List<PublicKey> r = ranked();
    ClusterView view = view(List.of(), Map.of(r.get(0), NodeStanding.DISQUALIFIED),
        Set.of(r.get(1)));
    Plan plan = new RepairPlanner(r.get(3)).plan(view, id -> false, List.of());
    assertEquals(1, plan.underTarget());
    assertTrue(plan.pulls().isEmpty(), "no holder to pull from, but node 3 is a target");
    ClusterView held = view(List.of(r.get(0)), Map.of(r.get(0), NodeStanding.DISQUALIFIED),
        Set.of(r.get(1)));
    Plan pull = new RepairPlanner(r.get(3)).plan(held, id -> false, List.of());
    assertEquals(1, pull.pulls().size(), "targets skip the disqualified and the full node");
  }

  @Test
  void atMostOneVettingNodeIsATargetWhileVettedOnesCanTakeTheBlob() {
    List<PublicKey> r = ranked(); // R = 2: r0 and r1 would be the targets
    Map<PublicKey, NodeStanding> young = Map.of(r.get(0), NodeStanding.VETTING,
        r.get(1), NodeStanding.VETTING);
    Plan byThird = new RepairPlanner(r.get(2)).plan(view(List.of(), young, Set.of()),
        id -> false, List.of());
    assertEquals(1, byThird.underTarget());
    assertTrue(byThird.pulls().isEmpty(), "no holder yet; but r2 is a target, below:");
    Plan pull = new RepairPlanner(r.get(2)).plan(view(List.of(r.get(3)), young, Set.of()),
        id -> false, List.of());
    assertEquals(1, pull.pulls().size(), "the vetted r2 replaces the second vetting node");
    Plan second = new RepairPlanner(r.get(1)).plan(view(List.of(r.get(3)), young, Set.of()),
        id -> false, List.of());
    assertTrue(second.pulls().isEmpty(), "the second vetting node is no target");
    Map<PublicKey, NodeStanding> allYoung = new HashMap<>();
    keys.forEach(k -> allYoung.put(k, NodeStanding.VETTING));
    Plan fill = new RepairPlanner(r.get(1)).plan(view(List.of(r.get(3)), allYoung, Set.of()),
        id -> false, List.of());
    assertEquals(1, fill.pulls().size(), "with no vetted nodes, vetting ones fill the places");
  }

  @Test
  void theNextNodeBacksATargetThatKeepsRefusingAndLetsGoOnceItTookItsCopy() {
    List<PublicKey> r = ranked(); // R = 2: targets r0, r1; r0 never takes the blob
    RepairPlanner next = new RepairPlanner(r.get(2));
    ClusterView refusing = view(List.of(r.get(1)), Map.of(), Set.of());
    for (int round = 1; round < RepairPlanner.FALLBACK_ROUNDS; round++) {
      assertTrue(next.plan(refusing, id -> false, List.of()).pulls().isEmpty(),
          "no fallback in round " + round);
    }
    assertEquals(1, next.plan(refusing, id -> false, List.of()).pulls().size(),
        "after " + RepairPlanner.FALLBACK_ROUNDS + " rounds the next node pulls");
    Plan keep = next.plan(view(List.of(r.get(1), r.get(2)), Map.of(), Set.of()), id -> true,
        List.of(blob));
    assertTrue(keep.drops().isEmpty(), "the backing copy stays while r0 lacks one");
    Plan drop = next.plan(view(List.of(r.get(0), r.get(1), r.get(2)), Map.of(), Set.of()),
        id -> true, List.of(blob));
    assertEquals(1, drop.drops().size(), "once r0 holds it, the backing copy goes");
  }
}
