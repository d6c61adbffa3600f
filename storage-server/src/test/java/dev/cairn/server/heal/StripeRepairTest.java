package dev.cairn.server.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.server.heal.ClusterView.Peer;
import dev.cairn.server.heal.StripeRepair.Rebuild;
import dev.cairn.server.heal.StripeRepair.StripeNeed;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.message.NodeStanding;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every node plans from the same view, so each missing shard must get exactly one rebuilder,
 * always one of the stripe's places holding no shard, nothing is planned for complete or lost
 * stripes, and a joining donor entering a stripe's places takes exactly one shard by copy.
 */
class StripeRepairTest {
  private final List<PublicKey> keys = new ArrayList<>();
  private final Map<PublicKey, Peer> live = new HashMap<>();

  StripeRepairTest() {
    for (int i = 0; i < 9; i++) {
      PublicKey key = SigningKey.generate(new SecureRandom()).publicKey();
      keys.add(key);
      live.put(key, new Peer(key, "127.0.0.1:" + (7000 + i), 1L << 30, 1_000_000,
          NodeStanding.ACTIVE, "zone-" + i));
    }
  }

  @Test
  void eachMissingShardGetsExactlyOneRebuilderAmongThePlaces() {
    StripeNeed stripe = stripe(4, 2, 1);
    List<PublicKey> places = StripeRepair.places(stripe, live, Set.of());
    assertEquals(6, places.size());
    for (int missingCount = 1; missingCount <= 2; missingCount++) {
      Map<ContentId, List<PublicKey>> holders = new HashMap<>();
      for (int i = 0; i < 6; i++) {
        holders.put(stripe.batch().shardIds().get(i),
            i < missingCount ? List.of() : List.of(places.get(i)));
      }
      Map<Integer, PublicKey> rebuilderOf = new HashMap<>();
      for (PublicKey me : keys) {
        StripeRepair.Plan plan = StripeRepair.plan(me, List.of(stripe), holders, live);
        assertTrue(plan.releases().isEmpty(), "nothing to let go");
        for (Rebuild rebuild : plan.rebuilds()) {
          assertTrue(places.indexOf(me) < missingCount, "only a place without its shard");
          assertFalse(rebuild.copyable(), "a missing shard is rebuilt, not copied");
          assertEquals(null, rebuilderOf.put(rebuild.shardIndex(), me),
              "shard " + rebuild.shardIndex() + " has one rebuilder");
          assertEquals(6 - missingCount, rebuild.sources().size(), "every held shard a source");
        }
      }
      assertEquals(missingCount, rebuilderOf.size(), "every missing shard is planned");
      assertEquals(missingCount, new HashSet<>(rebuilderOf.values()).size(),
          "one shard per rebuilder");
    }
  }

  @Test
  void completeAndLostStripesPlanNothing() {
    StripeNeed stripe = stripe(4, 2, 1);
    List<PublicKey> places = StripeRepair.places(stripe, live, Set.of());
    Map<ContentId, List<PublicKey>> complete = new HashMap<>();
    Map<ContentId, List<PublicKey>> lost = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      ContentId id = stripe.batch().shardIds().get(i);
      complete.put(id, List.of(places.get(i)));
      lost.put(id, i < 3 ? List.of() : List.of(places.get(i)));
    }
    for (PublicKey me : keys) {
      StripeRepair.Plan plan = StripeRepair.plan(me, List.of(stripe), complete, live);
      assertTrue(plan.rebuilds().isEmpty() && plan.releases().isEmpty());
      assertTrue(StripeRepair.plan(me, List.of(stripe), lost, live).rebuilds().isEmpty(),
          "3 of a 4+2 stripe rebuild nothing");
    }
  }

  @Test
  void aJoiningDonorCopiesOneShardWhichItsHolderThenLetsGo() {
    PublicKey newcomer = keys.get(6);
    Map<PublicKey, Peer> six = new HashMap<>(live);
    keys.subList(6, 9).forEach(six::remove);
    Map<PublicKey, Peer> seven = new HashMap<>(six);
    seven.put(newcomer, live.get(newcomer));
    StripeNeed stripe = null;
    for (int seed = 1; seed < 200 && stripe == null; seed++) {
      StripeNeed candidate = stripe(4, 2, seed);
      if (StripeRepair.places(candidate, seven, Set.of()).contains(newcomer)) {
        stripe = candidate;
      }
    }
    assertTrue(stripe != null, "some batch ranks the newcomer among its places");
    List<PublicKey> before = StripeRepair.places(stripe, six, Set.of());
    Map<ContentId, List<PublicKey>> holders = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      holders.put(stripe.batch().shardIds().get(i), List.of(before.get(i)));
    }
    List<PublicKey> after = StripeRepair.places(stripe, seven, new HashSet<>(before));
    PublicKey displaced = before.stream().filter(k -> !after.contains(k)).findFirst()
        .orElseThrow();
    int moved = before.indexOf(displaced);
    for (PublicKey me : seven.keySet()) {
      StripeRepair.Plan plan = StripeRepair.plan(me, List.of(stripe), holders, seven);
      assertTrue(plan.releases().isEmpty(), "nobody lets go before the newcomer holds it");
      if (me.equals(newcomer)) {
        assertEquals(1, plan.rebuilds().size());
        assertEquals(moved, plan.rebuilds().get(0).shardIndex());
        assertTrue(plan.rebuilds().get(0).copyable(), "copied from its holder, not decoded");
      } else {
        assertTrue(plan.rebuilds().isEmpty(), "only the newcomer takes a shard");
      }
    }
    holders.put(stripe.batch().shardIds().get(moved), List.of(displaced, newcomer));
    for (PublicKey me : seven.keySet()) {
      StripeRepair.Plan plan = StripeRepair.plan(me, List.of(stripe), holders, seven);
      assertTrue(plan.rebuilds().isEmpty());
      if (me.equals(displaced)) {
        assertEquals(1, plan.releases().size());
        assertEquals(moved, plan.releases().get(0).shardIndex());
        assertEquals(newcomer, plan.releases().get(0).place().key());
      } else {
        assertTrue(plan.releases().isEmpty(), "only the displaced holder lets go");
      }
    }
  }

  private static StripeNeed stripe(int k, int m, int seed) {
    List<ContentId> shards = new ArrayList<>();
    for (int i = 0; i < k + m; i++) {
      shards.add(ContentId.of(("shard " + seed + " " + i).getBytes(StandardCharsets.US_ASCII)));
    }
    BatchRef batch = new BatchRef(ContentId.of(new byte[] {(byte) seed}), 4000, 10, null,
        List.of(), shards);
    return new StripeNeed(batch, "writer", k, m);
  }
}
