package dev.cairn.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.message.LedgerMessages.LedgerEntry;
import dev.cairn.wire.message.NodeStanding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Goal: a deterministic simulation (seeded, simulated time, the real {@link
 * ContributionLedger}) of members, free-riders and hoarders under each reader policy, reporting
 * the share of its demand each class gets served and the storage the network gains
 * (docs/benchmarks.md, "Incentive simulation"). The admission rule is the donors' ({@code
 * ReaderGate}: credit + starter allowance at least RATIO times bytes read).
 *
 * <p>Model, per simulated hour over 60 days: members give 50 GiB from day 0 and want 4 GiB a
 * day; free-riders give nothing and want 4 GiB a day, and each refused hour one of them
 * starts giving 20 GiB with probability 5 % (it joins rather than go without); hoarders give
 * 200 GiB for the first 10 days, then nothing, and want 60 GiB a day. Demand varies ±50 %
 * per hour (seeded). Under {@code any} every reader is served, so nobody has a reason to give.
 */
class IncentiveSimulationTest {
  private static final long GIB = 1L << 30;
  private static final int DAYS = 60;
  private static final int MEMBERS = 20;
  private static final int FREE_RIDERS = 20;
  private static final int HOARDERS = 5;
  private static final long SEED = 17;

  enum Kind { MEMBER, FREE_RIDER, HOARDER }

  /** One simulated node. */
  private static final class Node {
    final Kind kind;
    final PublicKey key;
    long givenBytes;
    long wantedBytes;
    long servedBytes;

    Node(Kind kind, PublicKey key) {
      this.kind = kind;
      this.key = key;
    }
  }

  /** What one run under one policy gave each class, and the storage the network gained. */
  record Outcome(Map<Kind, Double> servedShare, double storedGibDays, int freeRidersJoined) {}

  @Test
  void contributorsPolicyServesGiversAndMakesFreeRidersGive() {
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    for (String policy : List.of("any", "members", "contributors:0.5", "contributors:1",
        "contributors:2")) {
      outcomes.put(policy, run(policy));
    }
    outcomes.forEach((policy, o) -> System.out.printf(Locale.ROOT,
        "| `%s` | %.0f %% | %.0f %% | %.0f %% | %d of %d | %.0f |%n", policy,
        100 * o.servedShare().get(Kind.MEMBER), 100 * o.servedShare().get(Kind.FREE_RIDER),
        100 * o.servedShare().get(Kind.HOARDER), o.freeRidersJoined(), FREE_RIDERS,
        o.storedGibDays()));
    Outcome any = outcomes.get("any");
    Outcome contributors = outcomes.get("contributors:1");
    assertEquals(1.0, any.servedShare().get(Kind.FREE_RIDER), "any serves everyone");
    assertEquals(0, any.freeRidersJoined(), "under any nobody has a reason to give");
    assertTrue(contributors.freeRidersJoined() > 0, "refusals make free-riders give");
    assertTrue(contributors.storedGibDays() > any.storedGibDays(),
        "the network gains storage under contributors");
    assertEquals(1.0, contributors.servedShare().get(Kind.MEMBER),
        "members giving more than they read are always served");
    assertTrue(contributors.servedShare().get(Kind.HOARDER)
        < any.servedShare().get(Kind.HOARDER), "hoarded credit runs out");
    assertEquals(run("contributors:1"), contributors, "the run is deterministic");
  }

  /** Runs the population for {@link #DAYS} simulated days under {@code policy}. */
  private static Outcome run(String policy) {
    Random random = new Random(SEED);
    LedgerSettings settings = new LedgerSettings(Duration.ofDays(1), GIB, Duration.ofHours(1));
    ContributionLedger ledger = new ContributionLedger(settings, null);
    ContributionLedger.Members members = key -> NodeStanding.ACTIVE;
    List<Node> nodes = population();
    double ratio = policy.startsWith("contributors:")
        ? Double.parseDouble(policy.substring("contributors:".length())) : -1;
    double storedGibHours = 0;
    int joined = 0;
    for (int hour = 0; hour < DAYS * 24; hour++) {
      Map<PublicKey, Long> audited = new HashMap<>();
      for (Node node : nodes) {
        if (node.kind == Kind.HOARDER) {
          node.givenBytes = hour < 10 * 24 ? 200 * GIB : 0;
        }
        audited.put(node.key, node.givenBytes);
        storedGibHours += (double) node.givenBytes / GIB;
      }
      ledger.accrue(audited, Duration.ofHours(1).toMillis());
      for (Node node : nodes) {
        long perDay = node.kind == Kind.HOARDER ? 60 * GIB : 4 * GIB;
        long want = (long) (perDay / 24.0 * (0.5 + random.nextDouble()));
        node.wantedBytes += want;
        if (admits(ratio, ledger.entry(node.key, members), settings, want)) {
          node.servedBytes += want;
          ledger.debit(node.key, want);
        } else if (node.kind == Kind.FREE_RIDER && node.givenBytes == 0
            && random.nextDouble() < 0.05) {
          node.givenBytes = 20 * GIB;
          joined++;
        }
      }
    }
    return new Outcome(shares(nodes), storedGibHours / 24, joined);
  }

  /** The donors' rule ({@code ReaderGate}); {@code ratio} below 0 admits every member. */
  private static boolean admits(double ratio, LedgerEntry entry, LedgerSettings settings,
      long want) {
    if (ratio < 0) {
      return true;
    }
    double credit = (double) entry.creditBytes() + settings.starterAllowanceBytes();
    return entry.debitBytes() == 0 || credit >= ratio * entry.debitBytes();
  }

  private static List<Node> population() {
    List<Node> nodes = new ArrayList<>();
    int seed = 0;
    for (Kind kind : Kind.values()) {
      int count = switch (kind) {
        case MEMBER -> MEMBERS;
        case FREE_RIDER -> FREE_RIDERS;
        case HOARDER -> HOARDERS;
      };
      for (int i = 0; i < count; i++) {
        byte[] keySeed = new byte[32];
        keySeed[0] = (byte) ++seed;
        Node node = new Node(kind, SigningKey.fromSeed(keySeed).publicKey());
        node.givenBytes = kind == Kind.MEMBER ? 50 * GIB : 0;
        nodes.add(node);
      }
    }
    return nodes;
  }

  private static Map<Kind, Double> shares(List<Node> nodes) {
    Map<Kind, long[]> sums = new EnumMap<>(Kind.class);
    for (Node node : nodes) {
      long[] sum = sums.computeIfAbsent(node.kind, k -> new long[2]);
      sum[0] += node.servedBytes;
      sum[1] += node.wantedBytes;
    }
    Map<Kind, Double> out = new EnumMap<>(Kind.class);
    sums.forEach((kind, sum) -> out.put(kind, (double) sum[0] / sum[1]));
    return out;
  }
}
