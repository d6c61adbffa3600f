package dev.cairn.server;

import static dev.cairn.wire.status.ServerMetrics.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.status.Scrape;
import dev.cairn.wire.status.StatusServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a donor's {@code /metrics} over real HTTP reports what was done to it, in the
 * Prometheus text format and naming: bytes and blobs per writer key, quota, requests and bytes
 * per frame type, refusals by error code, JVM basics; the page beside it is HTML; nothing is
 * served unless asked.
 */
class DonorMetricsTest {
  @TempDir Path data;

  @Test
  void scrapeReportsUploadsPerWriterRequestsAndRefusals() throws Exception {
    SigningKey writer = SigningKey.generate(TestClient.RANDOM);
    SigningKey refused = SigningKey.generate(TestClient.RANDOM);
    String writerKey = writer.publicKey().fingerprint().toString();
    String refusedKey = refused.publicKey().fingerprint().toString();
    StorageServerConfig config = StorageServerConfig.defaults(data).withListen("127.0.0.1", 0)
        .withStorage(64L << 20, 16L << 20, Map.of(refusedKey, 0L))
        .withMetrics(new HostPort("127.0.0.1", 0));
    try (StorageServer server = StorageServer.start(config);
        TestClient client = new TestClient(server.address())) {
      byte[] first = TestClient.randomBytes(10_000);
      byte[] second = TestClient.randomBytes(25_000);
      assertTrue(client.put(writer, first));
      assertTrue(client.put(writer, second));
      client.get(ContentId.of(first), 0, 4_000, first.length);
      client.fails(ErrorCode.QUOTA_EXCEEDED, FrameType.PUT_BLOB, TestClient.putPayload(refused,
          ContentId.of(first), first.length, first));

      Map<String, Double> m = Scrape.metrics(server.metricsAddress());

      assertEquals(35_000, Scrape.value(m, series("cairn_donor_writer_stored_bytes", "writer",
          writerKey)));
      assertEquals(2, Scrape.value(m, series("cairn_donor_writer_stored_blobs", "writer",
          writerKey)));
      assertEquals(16L << 20, Scrape.value(m, series("cairn_donor_writer_quota_bytes",
          "writer", writerKey)));
      assertEquals(0, Scrape.value(m, series("cairn_donor_writer_quota_bytes", "writer",
          refusedKey)), "a configured key is listed with its quota before it stores");
      assertEquals(35_000, Scrape.value(m, "cairn_donor_used_bytes"));
      assertEquals(2, Scrape.value(m, "cairn_donor_held_blobs"));
      assertEquals(64L << 20, Scrape.value(m, "cairn_donor_capacity_bytes"));
      assertEquals(3, Scrape.value(m, series("cairn_rpc_requests_total", "type", "PUT_BLOB")));
      assertEquals(1, Scrape.value(m, series("cairn_rpc_requests_total", "type", "GET_BLOB")));
      assertTrue(Scrape.value(m, series("cairn_rpc_received_bytes_total", "type", "PUT_BLOB"))
          > 2 * 10_000 + 25_000, "request payloads hold the blob bytes");
      double sent = Scrape.value(m, series("cairn_rpc_sent_bytes_total", "type", "GET_BLOB"));
      assertTrue(sent >= 4_000 && sent < 4_100, "one 4000-byte range and its prefix: " + sent);
      assertEquals(1, Scrape.value(m, series("cairn_rpc_refusals_total", "code",
          "QUOTA_EXCEEDED")));
      assertEquals(0, Scrape.value(m, "cairn_donor_repair_rounds_total"));
      assertEquals(0, Scrape.value(m, series("cairn_donor_peer_audits_total", "result",
          "failed")));
      assertTrue(m.entrySet().stream()
          .filter(e -> e.getKey().startsWith("jvm_memory_used_bytes{area=\"heap\""))
          .mapToDouble(Map.Entry::getValue).sum() > 0, "heap in use is reported");
      assertTrue(m.containsKey("process_uptime_seconds"), "JVM basics are there");

      Scrape.Answer text = Scrape.get(server.metricsAddress(), "/metrics");
      assertEquals(StatusServer.METRICS_CONTENT_TYPE, text.contentType());
      assertTrue(text.body().contains("# TYPE cairn_rpc_requests_total counter"), text.body());
      Scrape.Answer page = Scrape.get(server.metricsAddress(), "/");
      assertEquals(200, page.status());
      assertTrue(page.contentType().startsWith("text/html"), page.contentType());
      assertTrue(page.body().contains(writerKey), "the page lists the writer");
      assertEquals(404, Scrape.get(server.metricsAddress(), "/elsewhere").status());
    }
  }

  @Test
  void aTakenMetricsPortStopsTheStartWithANamedErrorAndFreesTheDirectory() {
    StorageServerConfig first = StorageServerConfig.defaults(data.resolve("a"))
        .withListen("127.0.0.1", 0).withMetrics(new HostPort("127.0.0.1", 0));
    try (StorageServer running = StorageServer.start(first)) {
      InetSocketAddress taken = running.metricsAddress();
      StorageServerConfig second = StorageServerConfig.defaults(data.resolve("b"))
          .withListen("127.0.0.1", 0)
          .withMetrics(new HostPort(taken.getHostString(), taken.getPort()));
      CairnException error = assertThrows(CairnException.class,
          () -> StorageServer.start(second));
      assertEquals(ErrorCode.IO_ERROR, error.code());
      assertTrue(error.getMessage().contains("cannot serve metrics on"), error.getMessage());
      try (StorageServer again = StorageServer.start(second.withMetrics(null))) {
        assertNull(again.metricsAddress(), "the failed start left no lock behind");
      }
    }
  }

  @Test
  void nothingIsServedUnlessAsked() {
    StorageServerConfig config = StorageServerConfig.defaults(data).withListen("127.0.0.1", 0);
    try (StorageServer server = StorageServer.start(config)) {
      assertNull(server.metricsAddress());
      assertFalse(config.describe(1, "z").contains("metrics=127"), config.describe(1, "z"));
    }
  }
}
