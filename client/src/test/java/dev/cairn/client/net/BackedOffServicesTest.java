package dev.cairn.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: when the only metadata service that is up is one this client remembers as hung (it
 * was SIGSTOPped a moment ago, as in the soak's outage of every service), a request waits for
 * the backoff window to end and asks it, instead of failing BUSY at once ("did not answer in
 * time; not asked again for 3986 ms", "is being probed after not answering").
 */
class BackedOffServicesTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void theOnlyServiceUpIsAskedOnceItsBackoffEndsRatherThanFailingBusy() throws Exception {
    InetSocketAddress down;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      down = new InetSocketAddress("127.0.0.1", closed.getLocalPort());
    }
    try (MetadataService service = MetadataService.start(MetadataServiceConfig.of("127.0.0.1",
            0, dir.resolve("meta")));
        ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      MetaClient meta = new MetaClient(pool, List.of(down, service.address()), TIMEOUT);
      pool.unresponsive(service.address()); // remembered as hung, as after a SIGSTOP
      assertTrue(pool.backoff().isBackedOff(service.address()));

      assertEquals(List.of(), meta.nodes(), "asked after the window: it knows no donor");
      assertEquals(List.of(), meta.heads(List.of(new MetaClient.TableName("acme", "t")))
          .heads(), "no such table, and no failure");
    }
  }
}
