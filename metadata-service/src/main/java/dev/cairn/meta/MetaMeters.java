package dev.cairn.meta;

import dev.cairn.meta.MetaOverview.TableHealth;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.status.ServerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Binds a metadata service's own meters to its {@link ServerMetrics}: nodes with their
 * standing, score and heartbeat lag, tables with versions and redundancy health, and audit
 * totals. The Prometheus names are constants here, shared with {@link MetaPage}.
 */
final class MetaMeters {
  static final String NODES = "cairn_meta_nodes";
  static final String NODE_LIVE = "cairn_meta_node_live";
  static final String NODE_SCORE = "cairn_meta_node_score_ratio";
  static final String NODE_CAPACITY = "cairn_meta_node_capacity_bytes";
  static final String NODE_USED = "cairn_meta_node_used_bytes";
  static final String NODE_BLOBS = "cairn_meta_node_blobs";
  static final String NODE_HEARTBEAT_AGE = "cairn_meta_node_heartbeat_age_seconds";
  static final String TABLE_VERSION = "cairn_meta_table_head_version";
  static final String TABLE_VERSIONS = "cairn_meta_table_versions";
  static final String TABLE_HEADS = "cairn_meta_table_heads";
  static final String TABLE_REPLICAS = "cairn_meta_table_replicas";
  static final String TABLE_BLOBS = "cairn_meta_table_blobs";
  static final String TABLE_SHORT = "cairn_meta_table_short_blobs";
  static final String TABLE_UNHELD = "cairn_meta_table_unheld_blobs";
  static final String AUDIT_ROUNDS = "cairn_meta_audit_rounds_total";
  static final String AUDITS = "cairn_meta_audits_total";
  static final String AUDIT_BYTES = "cairn_meta_audit_chunk_bytes_total";
  static final String DISQUALIFICATIONS = "cairn_meta_disqualifications_total";
  static final String REINSTATEMENTS = "cairn_meta_reinstatements_total";

  private final NodeRegistry nodes;
  private final TableRegistry tables;
  private final MultiGauge nodeCount;
  private final MultiGauge nodeLive;
  private final MultiGauge nodeScore;
  private final MultiGauge nodeCapacity;
  private final MultiGauge nodeUsed;
  private final MultiGauge nodeBlobs;
  private final MultiGauge nodeAge;
  private final MultiGauge tableVersion;
  private final MultiGauge tableVersions;
  private final MultiGauge tableHeads;
  private final MultiGauge tableReplicas;
  private final MultiGauge tableBlobs;
  private final MultiGauge tableShort;
  private final MultiGauge tableUnheld;

  private MetaMeters(NodeRegistry nodes, TableRegistry tables, MeterRegistry registry) {
    this.nodes = nodes;
    this.tables = tables;
    nodeCount = gauge(registry, "cairn.meta.nodes", null,
        "Known storage nodes, by state (live, dead)");
    nodeLive = gauge(registry, "cairn.meta.node.live", null,
        "1 while the node heartbeats within dead-after, else 0; labelled with zone and "
            + "standing");
    nodeScore = gauge(registry, "cairn.meta.node.score", "ratio",
        "Audit reputation of the node, 0 to 1");
    nodeCapacity = gauge(registry, "cairn.meta.node.capacity", "bytes",
        "Capacity the node declared in its last heartbeat");
    nodeUsed = gauge(registry, "cairn.meta.node.used", "bytes",
        "Bytes the node declared held in its last heartbeat");
    nodeBlobs = gauge(registry, "cairn.meta.node", "blobs",
        "Blobs the node declared held in its last heartbeat");
    nodeAge = gauge(registry, "cairn.meta.node.heartbeat.age", "seconds",
        "Time since the node's last heartbeat here (heartbeat lag)");
    tableVersion = gauge(registry, "cairn.meta.table.head.version", null,
        "Newest version number of the table");
    tableVersions = gauge(registry, "cairn.meta.table.versions", null,
        "Versions of the table kept here");
    tableHeads = gauge(registry, "cairn.meta.table.heads", null,
        "Heads of the newest version: more than 1 means the writer forked it");
    tableReplicas = gauge(registry, "cairn.meta.table.replicas", null,
        "Copies the newest version asks for");
    tableBlobs = gauge(registry, "cairn.meta.table", "blobs",
        "Blobs of the newest version");
    tableShort = gauge(registry, "cairn.meta.table.short", "blobs",
        "Blobs of the newest version with fewer live holders than it asks for");
    tableUnheld = gauge(registry, "cairn.meta.table.unheld", "blobs",
        "Blobs of the newest version with no live holder at all");
  }

  private static MultiGauge gauge(MeterRegistry registry, String name, String unit,
      String description) {
    return MultiGauge.builder(name).baseUnit(unit).description(description)
        .register(registry);
  }

  /** Binds every metadata service meter to {@code metrics}. */
  static void bind(NodeRegistry nodes, TableRegistry tables, AuditCounters audits,
      ServerMetrics metrics) {
    MeterRegistry registry = metrics.registry();
    MetaMeters meters = new MetaMeters(nodes, tables, registry);
    counter(registry, "cairn.meta.audit.rounds", null, "Audit rounds run", audits,
        AuditCounters::rounds);
    auditCounter(registry, "passed", audits, AuditCounters::passed);
    auditCounter(registry, "failed", audits, AuditCounters::failed);
    auditCounter(registry, "unanswered", audits, AuditCounters::unanswered);
    counter(registry, "cairn.meta.audit.chunk", "bytes", "Chunk bytes audited", audits,
        AuditCounters::chunkBytes);
    counter(registry, "cairn.meta.disqualifications", null, "Nodes disqualified by audits",
        audits, AuditCounters::disqualifications);
    counter(registry, "cairn.meta.reinstatements", null, "Disqualified nodes reinstated",
        audits, AuditCounters::reinstatements);
    counter(registry, "cairn.meta.audit.hints.queued", null,
        "Bad-holder reports that queued a prompt audit", audits,
        AuditCounters::reportsQueued);
    counter(registry, "cairn.meta.audit.hints.ignored", null,
        "Bad-holder reports accepted and ignored", audits, AuditCounters::reportsIgnored);
    io.micrometer.core.instrument.Gauge.builder("cairn.meta.audit.unauditable.shards", tables,
            TableRegistry::unauditableShardCount)
        .description("Shards in held manifests larger than an auditor reads whole (16 MiB),"
            + " never audited")
        .register(registry);
    metrics.beforeScrape(meters::refresh);
  }

  private static void counter(MeterRegistry registry, String name, String unit,
      String description, AuditCounters counters, ToDoubleFunction<AuditCounters> read) {
    FunctionCounter.builder(name, counters, read).baseUnit(unit).description(description)
        .register(registry);
  }

  private static void auditCounter(MeterRegistry registry, String result,
      AuditCounters counters, ToDoubleFunction<AuditCounters> read) {
    FunctionCounter.builder("cairn.meta.audits", counters, read).tag("result", result)
        .description("Chunk audits of storage nodes, by result").register(registry);
  }

  static String fingerprint(NodeInfo node) {
    return PublicKey.fromBytes(node.nodeKey()).fingerprint().toString();
  }

  private void refresh() {
    MetaOverview overview = MetaOverview.take(nodes, tables);
    long live = overview.nodes().stream().filter(NodeInfo::live).count();
    nodeCount.register(List.of(
        MultiGauge.Row.of(Tags.of("state", "live"), live),
        MultiGauge.Row.of(Tags.of("state", "dead"), overview.nodes().size() - live)), true);
    List<MultiGauge.Row<?>> liveRows = new ArrayList<>();
    List<MultiGauge.Row<?>> score = new ArrayList<>();
    List<MultiGauge.Row<?>> capacity = new ArrayList<>();
    List<MultiGauge.Row<?>> used = new ArrayList<>();
    List<MultiGauge.Row<?>> blobs = new ArrayList<>();
    List<MultiGauge.Row<?>> age = new ArrayList<>();
    for (NodeInfo node : overview.nodes()) {
      Tags tags = Tags.of("node", fingerprint(node));
      liveRows.add(MultiGauge.Row.of(tags.and("standing", node.standing().name(), "zone",
          node.zone()), node.live() ? 1 : 0));
      score.add(MultiGauge.Row.of(tags, node.score() / 1e6));
      capacity.add(MultiGauge.Row.of(tags, node.capacityBytes()));
      used.add(MultiGauge.Row.of(tags, node.usedBytes()));
      blobs.add(MultiGauge.Row.of(tags, node.blobCount()));
      age.add(MultiGauge.Row.of(tags, node.silenceMillis() / 1e3));
    }
    nodeLive.register(liveRows, true);
    nodeScore.register(score, true);
    nodeCapacity.register(capacity, true);
    nodeUsed.register(used, true);
    nodeBlobs.register(blobs, true);
    nodeAge.register(age, true);
    List<TableHealth> health = overview.tables();
    tableVersion.register(rows(health, t -> t.summary().headVersion()), true);
    tableVersions.register(rows(health, t -> t.summary().versions()), true);
    tableHeads.register(rows(health, t -> t.summary().heads()), true);
    tableReplicas.register(rows(health, t -> t.summary().replicas()), true);
    tableBlobs.register(rows(health, t -> t.summary().blobs().size()), true);
    tableShort.register(rows(health, TableHealth::shortOfCopies), true);
    tableUnheld.register(rows(health, TableHealth::unheld), true);
  }

  private static List<MultiGauge.Row<?>> rows(List<TableHealth> tables,
      ToDoubleFunction<TableHealth> read) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>(tables.size());
    for (TableHealth table : tables) {
      rows.add(MultiGauge.Row.of(Tags.of("table", table.name()), read.applyAsDouble(table)));
    }
    return rows;
  }
}
