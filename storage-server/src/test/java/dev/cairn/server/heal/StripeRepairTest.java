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
 * never a node holding another shard of its stripe, and nothing is planned for complete or
 * lost stripes.
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
  void eachMissingShardGetsExactlyOneRebuilderOutsideTheStripe() {
    StripeNeed stripe = stripe(4, 2);
    for (int missingCount = 1; missingCount <= 2; missingCount++) {
      Map<ContentId, List<PublicKey>> holders = new HashMap<>();
      Set<PublicKey> holding = new HashSet<>();
      for (int i = 0; i < 6; i++) {
        boolean missing = i < missingCount;
        holders.put(stripe.batch().shardIds().get(i), missing ? List.of() : List.of(keys.get(i)));
        if (!missing) {
          holding.add(keys.get(i));
        }
      }
      Map<Integer, PublicKey> rebuilderOf = new HashMap<>();
      for (PublicKey me : keys) {
        for (Rebuild rebuild : StripeRepair.plan(me, List.of(stripe), holders, live)) {
          assertFalse(holding.contains(me), "a holder of the stripe rebuilds nothing");
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
    StripeNeed stripe = stripe(4, 2);
    Map<ContentId, List<PublicKey>> complete = new HashMap<>();
    Map<ContentId, List<PublicKey>> lost = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      ContentId id = stripe.batch().shardIds().get(i);
      complete.put(id, List.of(keys.get(i)));
      lost.put(id, i < 3 ? List.of() : List.of(keys.get(i)));
    }
    for (PublicKey me : keys) {
      assertTrue(StripeRepair.plan(me, List.of(stripe), complete, live).isEmpty());
      assertTrue(StripeRepair.plan(me, List.of(stripe), lost, live).isEmpty(),
          "3 of a 4+2 stripe rebuild nothing");
    }
  }

  private static StripeNeed stripe(int k, int m) {
    List<ContentId> shards = new ArrayList<>();
    for (int i = 0; i < k + m; i++) {
      shards.add(ContentId.of(("shard " + i).getBytes(StandardCharsets.US_ASCII)));
    }
    BatchRef batch = new BatchRef(ContentId.of(new byte[] {1}), 4000, 10, null, List.of(),
        shards);
    return new StripeNeed(batch, "writer", k, m);
  }
}
