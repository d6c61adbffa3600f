package dev.cairn.meta;

import static dev.cairn.wire.status.ServerMetrics.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.status.Scrape;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a metadata service's {@code /metrics} over real HTTP counts what it did (an audit
 * round, nodes, tables) in the Prometheus text format; a taken metrics port stops the start
 * with a named error and leaves the data directory free.
 */
class MetaMetricsTest {
  @TempDir Path dir;

  @Test
  void scrapeCountsAuditRoundsNodesAndTables() throws Exception {
    MetadataServiceConfig config = MetadataServiceConfig.of("127.0.0.1", 0, dir.resolve("m"))
        .withAudit(AuditSchedule.manual()).withMetrics(new HostPort("127.0.0.1", 0));
    try (MetadataService service = MetadataService.start(config)) {
      service.auditOnce();
      Map<String, Double> m = Scrape.metrics(service.metricsAddress());
      assertEquals(1, Scrape.value(m, "cairn_meta_audit_rounds_total"));
      assertEquals(0, Scrape.value(m, series("cairn_meta_audits_total", "result", "passed")));
      assertEquals(0, Scrape.value(m, series("cairn_meta_nodes", "state", "live")));
      assertEquals(0, Scrape.value(m, series("cairn_meta_nodes", "state", "dead")));
      assertTrue(m.keySet().stream().noneMatch(k -> k.startsWith("cairn_meta_table_")),
          "no table, no table series");
      assertTrue(Scrape.get(service.metricsAddress(), "/").body()
          .contains("No table has been published here yet."));
    }
  }

  @Test
  void aTakenMetricsPortStopsTheStartWithANamedError() {
    MetadataServiceConfig first = MetadataServiceConfig.of("127.0.0.1", 0, dir.resolve("a"))
        .withMetrics(new HostPort("127.0.0.1", 0));
    try (MetadataService running = MetadataService.start(first)) {
      InetSocketAddress taken = running.metricsAddress();
      MetadataServiceConfig second = MetadataServiceConfig.of("127.0.0.1", 0,
          dir.resolve("b")).withMetrics(new HostPort(taken.getHostString(), taken.getPort()));
      CairnException error = assertThrows(CairnException.class,
          () -> MetadataService.start(second));
      assertEquals(ErrorCode.IO_ERROR, error.code());
      try (MetadataService again = MetadataService.start(second.withMetrics(null))) {
        assertNull(again.metricsAddress(), "the failed start left no lock behind");
      }
    }
  }
}
