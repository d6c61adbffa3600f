package dev.cairn.client.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.fetch.FetchOptions;
import dev.cairn.client.fetch.FetchRequest;
import dev.cairn.client.fetch.FetchScheduler;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.IdleConnectionFlood;
import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.SigningKey;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: one client holding 1,100 idle HELLO connections to a donor and to the metadata service
 * (more than their 1,024 slots) cannot take them offline: a fetch from another client still
 * answers and LIST_NODES still works. Run twice: with a per-address limit of 64 (the flood is
 * refused with BUSY and a retry hint past it) and with no per-address limit (the flood's idle
 * sockets are closed to make room for connections that make requests).
 */
class AdmissionTest {
  private static final int FLOOD = 1_100;
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  /** The flood's own address: one client, distinct from the test's others on 127.0.0.1. */
  private static final String FLOOD_SOURCE = "127.0.0.2";

  @TempDir Path dir;

  @ParameterizedTest(name = "per-address limit {0}")
  @ValueSource(ints = {64, 4096})
  void anIdleConnectionFloodLeavesRoomForClientsThatAsk(int perAddressMax) throws Exception {
    MetadataServiceConfig metaConfig = MetadataServiceConfig.of("127.0.0.1", 0,
        dir.resolve("meta")).withConnections(1024, perAddressMax);
    try (MetadataService meta = MetadataService.start(metaConfig);
        StorageServer donor = StorageServer.start(StorageServerConfig.defaults(
            dir.resolve("donor")).withListen("127.0.0.1", 0)
            .withMetaServices(List.of(meta.address()), Duration.ofMillis(200))
            .withConnectionsPerAddress(perAddressMax))) {
      Await.until(TIMEOUT, "the donor registered", () -> meta.liveNodeCount() == 1);
      byte[] blob = new byte[50_000];
      new Random(3).nextBytes(blob);
      ContentId id = ContentId.of(blob);
      try (ConnectionPool writer = new ConnectionPool(TIMEOUT)) {
        new NodeClient(writer, donor.address(), null, TIMEOUT).put(id, blob,
            SigningKey.generate(new SecureRandom()));
      }

      InetAddress source = InetAddress.getByName(FLOOD_SOURCE);
      try (IdleConnectionFlood onDonor = IdleConnectionFlood.open(source, donor.address(), FLOOD);
          IdleConnectionFlood onMeta = IdleConnectionFlood.open(source, meta.address(), FLOOD);
          ConnectionPool reader = new ConnectionPool(TIMEOUT);
          FetchScheduler fetcher = new FetchScheduler(reader,
              FetchOptions.defaults().withCallTimeout(TIMEOUT), (holder, blobId, why) -> { })) {
        for (IdleConnectionFlood flood : List.of(onDonor, onMeta)) {
          assertEquals(FLOOD, flood.admitted() + flood.refused() + flood.unanswered());
          if (perAddressMax < FLOOD) {
            assertEquals(perAddressMax, flood.admitted(), "admitted up to the address limit");
            assertEquals(FLOOD - perAddressMax, flood.busyWithRetryHint(),
                "every other connection was told BUSY with a retry hint");
          }
        }
        if (perAddressMax >= FLOOD) {
          assertTrue(donor.rpcServer().evictedConnections() >= FLOOD - 1024,
              "idle sockets were closed to make room: " + donor.rpcServer().evictedConnections());
          assertTrue(meta.rpcServer().evictedConnections() >= FLOOD - 1024);
        }

        assertArrayEquals(blob, fetcher.fetchOne(new FetchRequest(id, blob.length,
            List.of(donor.address()))), "another client's fetch is served");
        MetaClient metaClient = new MetaClient(reader, List.of(meta.address()), TIMEOUT);
        assertEquals(1, metaClient.nodes().size(), "LIST_NODES works");
        assertTrue(meta.liveNodeCount() == 1, "the donor's heartbeats still get through");
      }
    }
  }
}
