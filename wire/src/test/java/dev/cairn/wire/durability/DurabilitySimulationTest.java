package dev.cairn.wire.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.durability.DurabilitySimulation.Config;
import dev.cairn.wire.durability.DurabilitySimulation.Result;
import dev.cairn.wire.durability.DurabilitySimulation.Scheme;
import org.junit.jupiter.api.Test;

/** The durability model is deterministic and behaves at its edges as the model says. */
class DurabilitySimulationTest {
  private static final Config SMALL =
      new Config(50, 2_000, 8L << 20, 30, 1, 1 << 20, 2, 42);

  @Test
  void theSameSeedGivesTheSameResult() {
    Scheme scheme = Scheme.erasure(4, 2, 2);
    assertEquals(DurabilitySimulation.run(SMALL, scheme), DurabilitySimulation.run(SMALL, scheme));
  }

  @Test
  void withoutRedundancyChurnLosesBatchesAndNothingIsRepaired() {
    Result single = DurabilitySimulation.run(SMALL, Scheme.replicas(1));
    assertTrue(single.batchesLost() > 0, single.toString());
    assertEquals(0, single.repairs());
  }

  @Test
  void withoutChurnNothingIsLostOrRepaired() {
    Config immortal = new Config(50, 2_000, 8L << 20, 1e9, 1, 1 << 20, 2, 42);
    Result result = DurabilitySimulation.run(immortal, Scheme.erasure(4, 2, 2));
    assertEquals(0, result.batchesLost());
    assertEquals(0, result.repairs());
  }

  @Test
  void overheadsAreThoseOfTheSchemes() {
    assertEquals(3.0, Scheme.replicas(3).overhead());
    assertEquals(1.5, Scheme.erasure(4, 2, 1).overhead());
    assertEquals(1.4, Scheme.erasure(10, 4, 1).overhead(), 1e-9);
  }
}
