package dev.cairn.cli;

import static dev.cairn.wire.status.ServerMetrics.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.Await;
import dev.cairn.meta.AuditSchedule;
import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.server.heal.HealConfig;
import dev.cairn.server.heal.HoldingsReport;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.status.Scrape;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the status pages load in a real browser (Debian's headless Chromium) and show the
 * figures the metrics endpoint shows at the same moment. A metadata service and two donors
 * run with {@code metrics} set; a table is published twice through the real CLI and audited
 * once, and the metrics report exactly that; once the cluster is quiet (repairs done, heartbeats caught up, no audits scheduled) each page's DOM,
 * as the browser built it, is read between two scrapes: every figure marked with a series must
 * lie between that series' values in the two scrapes (equal, for everything that is not a
 * counter of background chatter). Screenshots land in target/ (docs/images keeps copies).
 */
class StatusPageBrowserTest {
  private static final Pattern FIGURE = Pattern.compile(
      "data-metric=\"([^\"]*)\"[^>]*><span class=\"exact\">([^<]*)</span>");
  private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void pagesShowWhatTheMetricsShow() throws Exception {
    Chromium browser = new Chromium(dir);
    HostPort anyPort = new HostPort("127.0.0.1", 0);
    List<AutoCloseable> open = new ArrayList<>();
    try (ConnectionPool pool = new ConnectionPool(ClusterFixtures.TIMEOUT)) {
      MetadataService meta = MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0,
          dir.resolve("meta")).withAudit(AuditSchedule.manual()).withMetrics(anyPort));
      open.add(meta);
      List<StorageServer> donors = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        StorageServer donor = StorageServer.start(StorageServerConfig.defaults(
                dir.resolve("donor-" + i)).withListen("127.0.0.1", 0)
            .withMetaServices(List.of(meta.address()), Duration.ofMillis(200))
            .withHeal(HealConfig.defaults().withRepair(Duration.ofMillis(300), 100L << 20)
                .withAuditInterval(Duration.ofHours(1)))
            .withMetrics(anyPort));
        open.add(0, donor);
        donors.add(donor);
      }
      Await.until(QUIET_TIMEOUT, "two live donors", () -> meta.liveNodeCount() == 2);
      SigningKey key = ClusterFixtures.key(dir.resolve("alice.key"));
      String writer = key.publicKey().fingerprint().toString();
      for (int version = 1; version <= 2; version++) {
        Path input = ClusterFixtures.csv(dir, "rows-" + version + ".csv", 20_000, version);
        assertEquals(0, ClusterFixtures.cairn("publish", "--meta",
            HostPort.format(meta.address()), "--key", dir.resolve("alice.key").toString(),
            "--table", "alice.rows", "--replicas", "2", "--batch-size", "256KiB",
            input.toString()));
      }
      MetaClient client = ClusterFixtures.metaClient(pool, meta.address());
      Manifest head = client.head("alice", "rows").orElseThrow().signed().manifest();
      awaitQuiet(meta, donors, head);
      meta.auditOnce(); // one challenge per live donor, each holding every batch: both pass

      Map<String, Double> metaMetrics = Scrape.metrics(meta.metricsAddress());
      assertEquals(1, Scrape.value(metaMetrics, "cairn_meta_audit_rounds_total"));
      assertEquals(2, Scrape.value(metaMetrics, series("cairn_meta_audits_total", "result",
          "passed")));
      assertEquals(0, Scrape.value(metaMetrics, series("cairn_meta_audits_total", "result",
          "failed")));
      assertEquals(2, Scrape.value(metaMetrics, series("cairn_meta_table_head_version",
          "table", "alice.rows")));
      assertEquals(2, Scrape.value(metaMetrics, series("cairn_meta_table_versions", "table",
          "alice.rows")));
      assertEquals(head.batches().size(), Scrape.value(metaMetrics, series(
          "cairn_meta_table_blobs", "table", "alice.rows")));
      assertEquals(0, Scrape.value(metaMetrics, series("cairn_meta_table_short_blobs",
          "table", "alice.rows")));
      assertEquals(2, Scrape.value(metaMetrics, series("cairn_meta_nodes", "state", "live")));
      long headBytes = head.batches().stream().mapToLong(BatchRef::byteSize).sum();
      for (StorageServer donor : donors) {
        Map<String, Double> m = Scrape.metrics(donor.metricsAddress());
        double stored = Scrape.value(m, series("cairn_donor_writer_stored_bytes", "writer",
            writer));
        assertTrue(stored >= headBytes, "each of two donors holds every batch of the head "
            + "(replicas 2): " + stored + " < " + headBytes);
        assertEquals(donor.store().usedBytes(), stored, "one writer: its charges are the "
            + "store's bytes");
        double tableBlobs = Scrape.value(m, series("cairn_donor_table_blobs", "table",
            "alice.rows"));
        assertTrue(tableBlobs >= head.batches().size(), "both kept versions' blobs count");
        assertEquals(tableBlobs, Scrape.value(m, series("cairn_donor_table_held_blobs", "table",
            "alice.rows")), "two copies on two donors: each holds every blob");
        assertEquals(tableBlobs, Scrape.value(m, series("cairn_donor_writer_stored_blobs",
            "writer", writer)), "and is charged for each once");
      }

      Path shots = Files.createDirectories(Path.of("target", "status-pages"));
      int metaFigures = checkPage(browser, meta.metricsAddress(), "Cairn metadata service");
      browser.screenshot(url(meta.metricsAddress()), shots.resolve("metadata-status.png"),
          1280, 1100);
      int donorFigures = checkPage(browser, donors.get(0).metricsAddress(), "Cairn donor");
      browser.screenshot(url(donors.get(0).metricsAddress()),
          shots.resolve("donor-status.png"), 1280, 1500);
      assertTrue(metaFigures >= 15, "the metadata page shows figures: " + metaFigures);
      assertTrue(donorFigures >= 20, "the donor page shows figures: " + donorFigures);
    } finally {
      for (AutoCloseable closeable : open) {
        closeable.close();
      }
    }
  }

  /** Waits until repairs are done and every heartbeat reports the final holdings. */
  private static void awaitQuiet(MetadataService meta, List<StorageServer> donors,
      Manifest head) {
    Await.until(QUIET_TIMEOUT, "donors hold every batch and have seen it in a round", () -> {
      for (StorageServer donor : donors) {
        HoldingsReport report = donor.antiEntropy().lastHoldings();
        if (report == null || report.tables().isEmpty()
            || report.tables().get(0).shortOfCopies() > 0
            || head.batches().stream().anyMatch(b -> !donor.store().contains(b.id()))) {
          return false;
        }
      }
      return true;
    });
    Await.until(QUIET_TIMEOUT, "the service has every donor's final usage", () -> {
      try {
        Map<String, Double> m = Scrape.metrics(meta.metricsAddress());
        double used = m.entrySet().stream()
            .filter(e -> e.getKey().startsWith("cairn_meta_node_used_bytes{"))
            .mapToDouble(Map.Entry::getValue).sum();
        return used == donors.stream().mapToLong(d -> d.store().usedBytes()).sum()
            && Scrape.value(m, series("cairn_meta_table_short_blobs", "table",
                "alice.rows")) == 0;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  private static String url(InetSocketAddress address) {
    return "http://" + HostPort.format(address) + "/";
  }

  /**
   * Loads the page in the browser between two scrapes and checks every marked figure against
   * them; returns how many figures it checked.
   */
  private static int checkPage(Chromium browser, InetSocketAddress address, String title)
      throws Exception {
    Map<String, Double> before = Scrape.metrics(address);
    String dom = browser.dumpDom(url(address));
    Map<String, Double> after = Scrape.metrics(address);
    assertTrue(dom.contains("<title>" + title), "the browser loaded the page: "
        + dom.substring(0, Math.min(300, dom.length())));
    Map<String, String> figures = new LinkedHashMap<>();
    Matcher m = FIGURE.matcher(dom);
    while (m.find()) {
      figures.put(unescape(m.group(1)), m.group(2).trim());
    }
    for (Map.Entry<String, String> figure : figures.entrySet()) {
      String series = figure.getKey();
      double shown = Double.parseDouble(figure.getValue());
      double late = Scrape.value(after, series);
      double early = before.getOrDefault(series, 0.0);
      assertTrue(Math.min(early, late) <= shown && shown <= Math.max(early, late),
          series + ": the page shows " + shown + ", the metrics " + early + " then " + late);
    }
    return figures.size();
  }

  private static String unescape(String attribute) {
    return attribute.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
        .replace("&gt;", ">").replace("&amp;", "&");
  }
}
