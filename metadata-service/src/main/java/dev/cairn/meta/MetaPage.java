package dev.cairn.meta;

import static dev.cairn.wire.status.ServerMetrics.series;

import dev.cairn.meta.MetaOverview.TableHealth;
import dev.cairn.meta.TableRegistry.TableSummary;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.Units;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;
import dev.cairn.wire.status.Html;
import dev.cairn.wire.status.Html.Cell;
import dev.cairn.wire.status.RecentEvents;
import dev.cairn.wire.status.StatusSections;
import dev.cairn.wire.status.Throughput;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a metadata service's status page: nodes with their scores, standing, zone and
 * health; tables with versions and redundancy health; audits, traffic and recent events.
 * Every figure the metrics endpoint also has is marked with its series.
 */
final class MetaPage {
  private MetaPage() {}

  static String render(MetadataService service, MetaOverview overview, Throughput throughput,
      RecentEvents events) {
    Html page = new Html("Cairn metadata service " + service.nodeKey().fingerprint(),
        "protocol on " + HostPort.format(service.address()) + "; as of "
            + Instant.now().truncatedTo(ChronoUnit.SECONDS)
            + ". Read-only; Prometheus metrics at /metrics.");
    nodes(page, overview.nodes());
    tables(page, overview.tables());
    audits(page, service.auditCounters());
    page.section("Traffic since start");
    Throughput.Rates rates = throughput.sample();
    page.paragraph("Now: " + Units.formatSize(Math.round(rates.inBytesPerSecond()))
        + "/s in, " + Units.formatSize(Math.round(rates.outBytesPerSecond())) + "/s out over "
        + Units.formatDuration(rates.window()) + ".");
    StatusSections.traffic(page, service.rpcServer().traffic());
    StatusSections.events(page, events);
    return page.finish();
  }

  private static void nodes(Html page, List<NodeInfo> nodes) {
    long live = nodes.stream().filter(NodeInfo::live).count();
    page.section("Storage nodes");
    page.table(List.of("Live", "Dead"), List.of(List.of(
        Cell.number(live, series(MetaMeters.NODES, "state", "live")),
        Cell.number(nodes.size() - live, series(MetaMeters.NODES, "state", "dead")))));
    List<List<Cell>> rows = new ArrayList<>();
    for (NodeInfo node : nodes) {
      String key = MetaMeters.fingerprint(node);
      String health = !node.live() ? "dead" : node.standing() == NodeStanding.DISQUALIFIED
          ? "disqualified" : "live";
      rows.add(List.of(Cell.code(key.substring(0, Math.min(16, key.length())) + "…"),
          Cell.code(node.address()), Cell.text(node.zone()),
          Cell.marked(health, node.live() && !"disqualified".equals(health) ? "ok" : "bad"),
          Cell.text(node.standing().name()),
          Cell.decimal(score(node.score()), series(MetaMeters.NODE_SCORE, "node", key)),
          Cell.text(node.auditsPassed() + " / " + node.auditsFailed() + " / "
              + node.auditsUnanswered()),
          Cell.bytes(node.usedBytes(), series(MetaMeters.NODE_USED, "node", key)),
          Cell.bytes(node.capacityBytes(), series(MetaMeters.NODE_CAPACITY, "node", key)),
          Cell.number(node.blobCount(), series(MetaMeters.NODE_BLOBS, "node", key)),
          Cell.text(Units.formatDuration(Duration.ofMillis(node.silenceMillis())) + " ago")));
    }
    if (rows.isEmpty()) {
      page.paragraph("No storage node has sent a heartbeat yet.");
      return;
    }
    page.table(List.of("Node", "Address", "Zone", "Health", "Standing", "Score",
        "Audits passed / failed / unanswered", "Used", "Capacity", "Blobs", "Last heartbeat"),
        rows);
  }

  /** The score as the metrics write it: a ratio, shortest exact decimal. */
  static String score(int millionths) {
    return Double.toString(millionths / 1e6);
  }

  private static void tables(Html page, List<TableHealth> tables) {
    page.section("Tables");
    List<List<Cell>> rows = new ArrayList<>();
    for (TableHealth t : tables) {
      TableSummary s = t.summary();
      String name = t.name();
      String health = t.unheld() > 0 ? "UNREADABLE: blobs with no live holder"
          : t.shortOfCopies() > 0 ? "under-replicated" : "healthy";
      rows.add(List.of(Cell.code(name),
          Cell.number(s.headVersion(), series(MetaMeters.TABLE_VERSION, "table", name)),
          Cell.number(s.versions(), series(MetaMeters.TABLE_VERSIONS, "table", name)),
          Cell.number(s.heads(), series(MetaMeters.TABLE_HEADS, "table", name)),
          Cell.number(s.replicas(), series(MetaMeters.TABLE_REPLICAS, "table", name)),
          Cell.number(s.blobs().size(), series(MetaMeters.TABLE_BLOBS, "table", name)),
          Cell.number(t.shortOfCopies(), series(MetaMeters.TABLE_SHORT, "table", name)),
          Cell.number(t.unheld(), series(MetaMeters.TABLE_UNHELD, "table", name)),
          Cell.marked(health, t.unheld() > 0 ? "bad" : t.shortOfCopies() > 0 ? "warn"
              : "ok")));
    }
    if (rows.isEmpty()) {
      page.paragraph("No table has been published here yet.");
      return;
    }
    page.table(List.of("Table", "Version", "Versions kept", "Heads", "Copies asked", "Blobs",
        "Short of copies", "No live holder", "Redundancy"), rows);
  }

  private static void audits(Html page, AuditCounters audits) {
    page.section("Audits since start");
    page.table(List.of("Rounds", "Passed", "Failed", "Unanswered", "Chunk bytes",
        "Disqualifications", "Reinstatements"), List.of(List.of(
            Cell.number(audits.rounds(), MetaMeters.AUDIT_ROUNDS),
            Cell.number(audits.passed(), series(MetaMeters.AUDITS, "result", "passed")),
            Cell.number(audits.failed(), series(MetaMeters.AUDITS, "result", "failed")),
            Cell.number(audits.unanswered(), series(MetaMeters.AUDITS, "result",
                "unanswered")),
            Cell.bytes(audits.chunkBytes(), MetaMeters.AUDIT_BYTES),
            Cell.number(audits.disqualifications(), MetaMeters.DISQUALIFICATIONS),
            Cell.number(audits.reinstatements(), MetaMeters.REINSTATEMENTS))));
  }
}
