package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cluster.LocalCluster;
import dev.cairn.wire.HostPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: through the real CLI, two copies of one key that each publish a different version 2
 * to a different metadata service fork the table; {@code cairn status} lists the fork (table,
 * version, both ids and where each is), and a publish whose head record names one of them
 * refuses by name (FORK) on the service that holds the other.
 */
class ForkStatusTest {
  @TempDir Path dir;

  @Test
  void statusListsAForkAndTheWriterRefusesToPublishOnIt() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), LocalCluster.Options
        .of(1).withMetadataServices(2).withCapacity(1L << 30).withQuotas(1L << 30, Map.of()))) {
      String a = HostPort.format(cluster.metas().get(0).address());
      String b = HostPort.format(cluster.metas().get(1).address());
      Path key = dir.resolve("alice.key");
      ClusterFixtures.key(key);
      Path input = ClusterFixtures.csv(dir, "rows.csv", 100, 1);
      assertEquals(0, publish(a + "," + b, key, input).exit());
      assertTrue(Files.exists(dir.resolve("alice.key.heads")), "the head record is kept");
      Path copyA = dir.resolve("copy-a.key");
      Path copyB = dir.resolve("copy-b.key");
      Files.copy(key, copyA, StandardCopyOption.COPY_ATTRIBUTES);
      Files.copy(key, copyB, StandardCopyOption.COPY_ATTRIBUTES);
      assertEquals(0, publish(a, copyA, ClusterFixtures.csv(dir, "a.csv", 100, 2)).exit());
      assertEquals(0, publish(b, copyB, ClusterFixtures.csv(dir, "b.csv", 100, 3)).exit());

      CliRun status = CliRun.of("status", "--meta", a + "," + b);
      assertEquals(0, status.exit(), status.err());
      String forkLine = status.out().lines().filter(l -> l.startsWith("alice.t ")
          && l.contains(" at ")).findFirst().orElse("");
      assertTrue(status.out().contains("FORKED TABLE"), status.out());
      assertTrue(forkLine.contains(" 2  ") && forkLine.contains(".. at " + a)
          && forkLine.contains(".. at " + b), status.out());

      CliRun refused = publish(a + "," + b, copyA, input);
      assertNotEquals(0, refused.exit());
      assertTrue(refused.err().contains("FORK: alice.t v2 is "), refused.err());
      assertTrue(refused.err().contains("in the writer's head record"), refused.err());
    }
  }

  private static CliRun publish(String metas, Path key, Path input) {
    return CliRun.of(List.of("publish", "--meta", metas, "--key", key.toString(), "--table",
        "alice.t", "--replicas", "1", input.toString()).toArray(String[]::new));
  }
}
