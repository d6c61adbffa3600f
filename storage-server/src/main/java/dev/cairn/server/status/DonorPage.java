package dev.cairn.server.status;

import static dev.cairn.wire.status.ServerMetrics.series;

import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.server.heal.HealCounters;
import dev.cairn.server.heal.HoldingsReport;
import dev.cairn.server.heal.HoldingsReport.PeerRow;
import dev.cairn.server.heal.HoldingsReport.TableHolding;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.Units;
import dev.cairn.wire.status.Html;
import dev.cairn.wire.status.Html.Cell;
import dev.cairn.wire.status.RecentEvents;
import dev.cairn.wire.status.StatusSections;
import dev.cairn.wire.status.Throughput;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a donor's status page: what it holds per writer and table, quotas and use, bandwidth
 * now and its limits, its peers, the health of its copies and recent events. Every figure the
 * metrics endpoint also has is marked with its series ({@link Html.Cell#number}).
 */
final class DonorPage {
  private DonorPage() {}

  static String render(StorageServer server, Throughput throughput, RecentEvents events) {
    StorageServerConfig config = server.config();
    Html page = new Html("Cairn donor " + server.nodeKey().fingerprint(),
        "protocol on " + HostPort.format(server.address()) + ", zone " + server.zone()
            + ", data in " + config.dataDirectory() + "; as of " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
            + ". Read-only; Prometheus metrics at /metrics.");
    space(page, server);
    writers(page, server);
    tables(page, server.antiEntropy().lastHoldings());
    bandwidth(page, server, throughput.sample());
    heal(page, server.healCounters());
    peers(page, server);
    StatusSections.events(page, events);
    return page.finish();
  }

  private static void space(Html page, StorageServer server) {
    page.section("Space");
    long capacity = server.store().capacityBytes();
    long used = server.store().usedBytes();
    page.table(List.of("Capacity", "Used", "Blobs held", "Free", "Default quota per writer"),
        List.of(List.of(Cell.bytes(capacity, DonorMeters.CAPACITY),
            Cell.bytes(used, DonorMeters.USED),
            Cell.number(server.store().count(), DonorMeters.HELD_BLOBS),
            Cell.bytes(Math.max(0, capacity - used), null),
            Cell.bytes(server.config().defaultQuotaBytes(), DonorMeters.DEFAULT_QUOTA))));
  }

  private static void writers(Html page, StorageServer server) {
    page.section("Writers (quota ledger)");
    Map<String, Long> usage = server.ledger().usage();
    Map<String, Integer> blobs = server.ledger().blobCounts();
    List<List<Cell>> rows = new ArrayList<>();
    for (String writer : DonorMeters.writers(server, usage)) {
      long used = usage.getOrDefault(writer, 0L);
      long quota = server.ledger().quotaBytes(writer);
      rows.add(List.of(Cell.code(writer),
          Cell.bytes(used, series(DonorMeters.WRITER_BYTES, "writer", writer)),
          Cell.number(blobs.getOrDefault(writer, 0),
              series(DonorMeters.WRITER_BLOBS, "writer", writer)),
          Cell.bytes(quota, series(DonorMeters.WRITER_QUOTA, "writer", writer)),
          quotaUse(used, quota)));
    }
    if (rows.isEmpty()) {
      page.paragraph("No writer has stored anything here yet.");
      return;
    }
    page.table(List.of("Writer key", "Stored", "Blobs", "Quota", "Quota used"), rows);
  }

  private static Cell quotaUse(long used, long quota) {
    if (quota == 0) {
      return Cell.marked(used == 0 ? "refused (quota 0)" : "over (quota 0)", "warn");
    }
    double share = 100.0 * used / quota;
    return Cell.marked(String.format("%.1f %%", share), share >= 90 ? "warn" : "ok");
  }

  private static void tables(Html page, HoldingsReport report) {
    page.section("Tables and the health of their copies");
    if (report == null) {
      page.paragraph("No anti-entropy round has completed yet (none runs without a "
          + "metadata service).");
      return;
    }
    page.paragraph("As the last anti-entropy round saw them, at "
        + report.takenAt().truncatedTo(ChronoUnit.SECONDS) + ".");
    List<List<Cell>> rows = new ArrayList<>();
    for (TableHolding t : report.tables()) {
      String table = t.table();
      String health = t.noLiveCopy() > 0 ? "LOSING DATA" : t.shortOfCopies() > 0
          ? "repairing" : "healthy";
      rows.add(List.of(Cell.code(table), Cell.code(shortKey(t.writer())),
          Cell.number(t.replicas(), null),
          Cell.number(t.blobs(), series(DonorMeters.TABLE_BLOBS, "table", table)),
          Cell.number(t.heldHere(), series(DonorMeters.TABLE_HELD_BLOBS, "table", table)),
          Cell.bytes(t.bytesHere(), series(DonorMeters.TABLE_HELD_BYTES, "table", table)),
          Cell.number(t.shortOfCopies(), series(DonorMeters.TABLE_SHORT_BLOBS, "table",
              table)),
          Cell.number(t.noLiveCopy(), series(DonorMeters.TABLE_LOST_BLOBS, "table", table)),
          Cell.marked(health, t.noLiveCopy() > 0 ? "bad" : t.shortOfCopies() > 0 ? "warn"
              : "ok")));
    }
    if (rows.isEmpty()) {
      page.paragraph("The metadata service lists no tables.");
      return;
    }
    page.table(List.of("Table", "Writer", "Copies asked", "Blobs", "Held here", "Bytes here",
        "Short of copies", "No live copy", "Health"), rows);
  }

  private static String shortKey(String fingerprint) {
    return fingerprint.length() > 16 ? fingerprint.substring(0, 16) + "…" : fingerprint;
  }

  private static void bandwidth(Html page, StorageServer server, Throughput.Rates rates) {
    page.section("Bandwidth");
    StorageServerConfig config = server.config();
    page.table(List.of("", "Now (payload)", "Limit"), List.of(
        List.of(Cell.text("In (uploads and other requests)"),
            Cell.text(rate(rates.inBytesPerSecond()) + " over "
                + Units.formatDuration(rates.window())),
            limit(config.uploadBytesPerSecond(), DonorMeters.UPLOAD_LIMIT)),
        List.of(Cell.text("Out (reads, audits, peers' pulls)"),
            Cell.text(rate(rates.outBytesPerSecond()) + " over "
                + Units.formatDuration(rates.window())),
            limit(config.downloadBytesPerSecond(), DonorMeters.DOWNLOAD_LIMIT)),
        List.of(Cell.text("Repair pulls"), Cell.text(""),
            Cell.text(rate(config.heal().repairBytesPerSecond()))),
        List.of(Cell.text("Scrub reads"), Cell.text(""),
            Cell.text(rate(config.heal().scrubBytesPerSecond())))));
    StatusSections.traffic(page, server.rpcServer().traffic());
  }

  private static Cell limit(long bytesPerSecond, String metric) {
    return Cell.number(bytesPerSecond, metric, bytesPerSecond == 0 ? "(none)"
        : "(" + rate(bytesPerSecond) + ")");
  }

  private static String rate(double bytesPerSecond) {
    return Units.formatSize(Math.round(bytesPerSecond)) + "/s";
  }

  private static void heal(Html page, HealCounters heal) {
    page.section("Repair, scrub and audits since start");
    page.table(List.of("Repair rounds", "Blobs pulled", "Bytes pulled", "Copies dropped",
        "Scrub passes", "Blobs scrubbed", "Corrupt found", "Vanished found", "Audits passed",
        "Audits failed", "Audits unanswered"), List.of(List.of(
            Cell.number(heal.rounds(), DonorMeters.REPAIR_ROUNDS),
            Cell.number(heal.pulledBlobs(), DonorMeters.REPAIR_PULLED_BLOBS),
            Cell.bytes(heal.pulledBytes(), DonorMeters.REPAIR_PULLED_BYTES),
            Cell.number(heal.droppedBlobs(), DonorMeters.REPAIR_DROPPED),
            Cell.number(heal.scrubPasses(), DonorMeters.SCRUB_PASSES),
            Cell.number(heal.scrubbedBlobs(), DonorMeters.SCRUBBED_BLOBS),
            Cell.number(heal.corruptFound(), DonorMeters.CORRUPT),
            Cell.number(heal.vanishedFound(), DonorMeters.VANISHED),
            Cell.number(heal.auditsPassed(), series(DonorMeters.PEER_AUDITS, "result",
                "passed")),
            Cell.number(heal.auditsFailed(), series(DonorMeters.PEER_AUDITS, "result",
                "failed")),
            Cell.number(heal.auditsUnanswered(), series(DonorMeters.PEER_AUDITS, "result",
                "unanswered")))));
  }

  private static void peers(Html page, StorageServer server) {
    page.section("Metadata services");
    List<List<Cell>> metas = new ArrayList<>();
    DonorMeters.heartbeatAges(server).forEach((meta, age) -> metas.add(List.of(Cell.code(meta),
        age.isNegative() ? Cell.marked("never reached", "bad")
            : Cell.marked(Units.formatDuration(age.truncatedTo(ChronoUnit.MILLIS)) + " ago",
                age.compareTo(server.config().heartbeatInterval().multipliedBy(5)) > 0
                    ? "warn" : "ok"))));
    if (metas.isEmpty()) {
      page.paragraph("None configured: this donor registers nowhere.");
    } else {
      page.table(List.of("Address", "Last heartbeat accepted"), metas);
    }
    page.section("Peers (live nodes)");
    HoldingsReport report = server.antiEntropy().lastHoldings();
    if (report == null) {
      page.paragraph("Not known before the first anti-entropy round.");
      return;
    }
    List<List<Cell>> rows = new ArrayList<>();
    String self = server.nodeKey().fingerprint().toString();
    for (PeerRow peer : report.peers()) {
      rows.add(List.of(Cell.code(shortKey(peer.fingerprint())
              + (peer.fingerprint().equals(self) ? " (this donor)" : "")),
          Cell.code(peer.address()), Cell.text(peer.zone()), Cell.bytes(peer.freeBytes(), null),
          Cell.text(String.format("%.4f", peer.score() / 1e6)), Cell.text(peer.standing())));
    }
    page.paragraph(report.peers().size() + " live, as of "
        + report.takenAt().truncatedTo(ChronoUnit.SECONDS) + ".");
    page.table(List.of("Node", "Address", "Zone", "Free", "Score", "Standing"), rows);
  }
}
