package dev.cairn.client.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.UnawareServiceCluster;
import dev.cairn.wire.crypto.SigningKey;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a publish does not fail because the metadata service that answers first has not heard
 * from any donor yet (one just restarted, as in the soak: "need 3 live storage nodes, found
 * 0"). The writer takes the live donors of every service. The service that knows no donor here
 * is one no donor heartbeats to, so it stays that way for the whole test, whatever the timing.
 */
class LiveNodesOfEveryServiceTest {
  @TempDir Path dir;

  @Test
  void aPublishSucceedsWhenTheFirstServiceKnowsNoDonor() throws Exception {
    SigningKey writer = SigningKey.generate(new SecureRandom());
    try (UnawareServiceCluster both = UnawareServiceCluster.start(dir, 3)) {
      assertEquals(List.of(), both.client(List.of(both.unaware.address())).nodes(),
          "the first service lists no donor");
      List<InetSocketAddress> metas = both.unawareFirst();
      assertEquals(3, both.client(metas).liveNodes().size());
      Path file = dir.resolve("t.csv");
      Files.writeString(file, "n\n1\n2\n3\n");
      PublishResult result = Publisher.publish(PublishRequest.of(metas, writer, "acme", "t",
          List.of(file)).withSchema("n BIGINT NOT NULL").withReplicas(3), ProgressListener.NONE);
      assertEquals(1, result.version());
      assertEquals(3, result.rows());
      assertTrue(result.metaFailures().isEmpty(), result.metaFailures().toString());
    }
  }
}
