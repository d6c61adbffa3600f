package dev.cairn.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.message.MetaMessages.Heartbeat;
import dev.cairn.wire.message.MetaMessages.HeartbeatOk;
import dev.cairn.wire.rpc.RpcServer;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heartbeats against a minimal metadata service built from wire's RpcServer: a fixture of the
 * protocol that verifies each heartbeat's signature and records it.
 */
class MetaHeartbeaterTest {
  private static final long WAIT_SECONDS = 20;

  @TempDir Path data;
  private final BlockingQueue<Heartbeat> received = new LinkedBlockingQueue<>();
  private final AtomicBoolean askForHoldings = new AtomicBoolean();

  private RpcServer startMetaFixture() throws InterruptedException {
    return startMetaFixture(0);
  }

  private RpcServer startMetaFixture(int port) throws InterruptedException {
    return RpcServer.start("127.0.0.1", port, new Hello(PeerRole.METADATA_SERVICE, null),
        (request, responder) -> {
          assertEquals(FrameType.HEARTBEAT, request.type());
          assertEquals(PeerRole.STORAGE_NODE, responder.peer().role());
          Heartbeat heartbeat = Heartbeat.decode(request.payload());
          PublicKey.fromBytes(heartbeat.nodeKey()).checkSignature(SignatureDomain.HEARTBEAT,
              heartbeat.signedMessage(), heartbeat.signature(), "heartbeat");
          assertArrayEquals(responder.peer().nodeKey(), heartbeat.nodeKey());
          received.add(heartbeat);
          ByteBuf reply = responder.alloc().buffer(1);
          new HeartbeatOk(askForHoldings.getAndSet(false)).writeTo(reply);
          responder.reply(FrameType.HEARTBEAT_OK, reply);
        }, RpcServer.Options.defaults());
  }

  private Heartbeat next() throws InterruptedException {
    Heartbeat heartbeat = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(heartbeat, "no heartbeat arrived");
    return heartbeat;
  }

  /** Waits for a heartbeat with holdings and returns it. */
  private Heartbeat nextWithHoldings() throws InterruptedException {
    while (true) {
      Heartbeat heartbeat = next();
      if (heartbeat.holdings() != null) {
        return heartbeat;
      }
    }
  }

  @Test
  void signedHeartbeatsCarryHoldingsWhenTheyChangeOrAreAskedFor() throws Exception {
    int deadPort;
    try (ServerSocket closed = new ServerSocket(0)) {
      deadPort = closed.getLocalPort(); // nothing listens here once closed: a meta that is down
    }
    try (RpcServer meta = startMetaFixture();
        StorageServer server = StorageServer.start(StorageServerConfig.defaults(data)
            .withListen("127.0.0.1", 0).withStorage(1L << 20, 1L << 20, Map.of())
            .withMetaServices(List.of(new InetSocketAddress("127.0.0.1", deadPort),
                meta.address()), Duration.ofMillis(50)));
        TestClient client = new TestClient(server.address())) {
      Heartbeat first = next();
      assertEquals(List.of(), first.holdings(), "the first heartbeat lists holdings");
      assertArrayEquals(server.nodeKey().toBytes(), first.nodeKey());
      assertEquals("127.0.0.1:" + server.address().getPort(), first.address());
      assertEquals(1L << 20, first.capacityBytes());

      Heartbeat quiet = next();
      assertEquals(null, quiet.holdings(), "unchanged holdings are not resent");

      byte[] bytes = TestClient.randomBytes(1234);
      client.put(SigningKey.generate(TestClient.RANDOM), bytes);
      Heartbeat changed = nextWithHoldings();
      assertEquals(List.of(ContentId.of(bytes)), changed.holdings());
      assertEquals(1234, changed.usedBytes());
      assertEquals(1, changed.blobCount());

      askForHoldings.set(true);
      Heartbeat asked = nextWithHoldings();
      assertEquals(List.of(ContentId.of(bytes)), asked.holdings());
      assertTrue(client.put(SigningKey.generate(TestClient.RANDOM), TestClient.randomBytes(9)),
          "a dead metadata service never stops the donor");
    }
  }

  @Test
  void reconnectsWhenTheMetadataServiceComesBack() throws Exception {
    RpcServer meta = startMetaFixture();
    InetSocketAddress address = meta.address();
    try (StorageServer server = StorageServer.start(StorageServerConfig.defaults(data)
        .withListen("127.0.0.1", 0).withStorage(1L << 20, 1L << 20, Map.of())
        .withMetaServices(List.of(address), Duration.ofMillis(50)))) {
      next();
      meta.close();
      received.clear();
      meta = startMetaFixture(address.getPort());
      Heartbeat afterRestart = next();
      assertEquals(List.of(), afterRestart.holdings(),
          "the first heartbeat on a new connection lists holdings");
      assertArrayEquals(server.nodeKey().toBytes(), afterRestart.nodeKey());
    } finally {
      meta.close();
    }
  }

  /**
   * A service down for long is retried within a few seconds, not a minute: a restarted
   * service lists a donor dead until it hears from it (the soak: "need 3 live storage nodes,
   * found 0"). Counts failures, never time.
   */
  @Test
  void aServiceDownForLongIsRetriedWithinAFewSecondsWithJitter() {
    long intervalMs = 2_000;
    long backoff = 0;
    for (int failure = 0; failure < 50; failure++) {
      backoff = MetaHeartbeater.backoffAfterOneMore(backoff, intervalMs);
    }
    assertTrue(backoff <= 5_000, "backoff after 50 failures: " + backoff + " ms");
    assertEquals(backoff, MetaHeartbeater.backoffMs(backoff, 0.0));
    assertTrue(MetaHeartbeater.backoffMs(backoff, 0.999) < backoff, "jittered");
    assertTrue(MetaHeartbeater.backoffMs(backoff, 0.999) >= backoff * 3 / 4);
    long slow = 0;
    for (int failure = 0; failure < 50; failure++) {
      slow = MetaHeartbeater.backoffAfterOneMore(slow, 30_000);
    }
    assertEquals(30_000, slow, "never below one interval");
  }
}
