package dev.cairn.server.status;

import dev.cairn.server.StorageServer;
import dev.cairn.server.heal.HealCounters;
import dev.cairn.server.heal.HoldingsReport;
import dev.cairn.server.heal.HoldingsReport.TableHolding;
import dev.cairn.wire.status.ServerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Binds a donor's own meters to its {@link ServerMetrics}: space and quotas per writer key,
 * repair and scrub progress, peer audits, heartbeat lag and what the last anti-entropy round
 * saw per table. The Prometheus names are constants here, shared with {@link DonorPage}.
 */
final class DonorMeters {
  static final String CAPACITY = "cairn_donor_capacity_bytes";
  static final String USED = "cairn_donor_used_bytes";
  static final String HELD_BLOBS = "cairn_donor_held_blobs";
  static final String DEFAULT_QUOTA = "cairn_donor_default_quota_bytes";
  static final String UPLOAD_LIMIT = "cairn_donor_upload_limit_bytes_per_second";
  static final String DOWNLOAD_LIMIT = "cairn_donor_download_limit_bytes_per_second";
  static final String WRITER_BYTES = "cairn_donor_writer_stored_bytes";
  static final String WRITER_BLOBS = "cairn_donor_writer_stored_blobs";
  static final String WRITER_QUOTA = "cairn_donor_writer_quota_bytes";
  static final String TABLE_BLOBS = "cairn_donor_table_blobs";
  static final String TABLE_HELD_BLOBS = "cairn_donor_table_held_blobs";
  static final String TABLE_HELD_BYTES = "cairn_donor_table_held_bytes";
  static final String TABLE_SHORT_BLOBS = "cairn_donor_table_short_blobs";
  static final String TABLE_LOST_BLOBS = "cairn_donor_table_unheld_blobs";
  static final String PEERS = "cairn_donor_live_peers";
  static final String HEARTBEAT_AGE = "cairn_donor_heartbeat_age_seconds";
  static final String REPAIR_ROUNDS = "cairn_donor_repair_rounds_total";
  static final String REPAIR_PULLED_BLOBS = "cairn_donor_repair_pulled_blobs_total";
  static final String REPAIR_PULLED_BYTES = "cairn_donor_repair_pulled_bytes_total";
  static final String REPAIR_DROPPED = "cairn_donor_repair_dropped_blobs_total";
  static final String REPAIR_BAD_PEER = "cairn_donor_repair_bad_peer_blobs_total";
  static final String REPAIR_REFUSED = "cairn_donor_repair_refused_pulls_total";
  static final String ORPHANS_DROPPED = "cairn_donor_orphan_dropped_blobs_total";
  static final String UNDER_TARGET = "cairn_donor_repair_under_target_blobs";
  static final String SCRUB_PASSES = "cairn_donor_scrub_passes_total";
  static final String SCRUBBED_BLOBS = "cairn_donor_scrubbed_blobs_total";
  static final String SCRUBBED_BYTES = "cairn_donor_scrubbed_bytes_total";
  static final String CORRUPT = "cairn_donor_corrupt_blobs_total";
  static final String VANISHED = "cairn_donor_vanished_blobs_total";
  static final String PEER_AUDITS = "cairn_donor_peer_audits_total";

  private final StorageServer server;
  private final MultiGauge writerBytes;
  private final MultiGauge writerBlobs;
  private final MultiGauge writerQuota;
  private final MultiGauge tableBlobs;
  private final MultiGauge tableHeldBlobs;
  private final MultiGauge tableHeldBytes;
  private final MultiGauge tableShort;
  private final MultiGauge tableUnheld;
  private final MultiGauge heartbeatAge;

  private DonorMeters(StorageServer server, MeterRegistry registry) {
    this.server = server;
    writerBytes = MultiGauge.builder("cairn.donor.writer.stored.bytes").baseUnit("bytes")
        .description("Bytes charged to each writer key in the quota ledger").register(registry);
    writerBlobs = MultiGauge.builder("cairn.donor.writer.stored.blobs").baseUnit("blobs")
        .description("Blobs charged to each writer key in the quota ledger").register(registry);
    writerQuota = MultiGauge.builder("cairn.donor.writer.quota").baseUnit("bytes")
        .description("Quota of each writer key that is configured or has charges")
        .register(registry);
    tableBlobs = MultiGauge.builder("cairn.donor.table").baseUnit("blobs")
        .description("Blobs named by a table's kept versions (last anti-entropy round)")
        .register(registry);
    tableHeldBlobs = MultiGauge.builder("cairn.donor.table.held.blobs").baseUnit("blobs")
        .description("Of those, blobs this donor holds").register(registry);
    tableHeldBytes = MultiGauge.builder("cairn.donor.table.held.bytes").baseUnit("bytes")
        .description("Bytes of the table's blobs this donor holds").register(registry);
    tableShort = MultiGauge.builder("cairn.donor.table.short").baseUnit("blobs")
        .description("Blobs of the table with fewer live trusted copies than it asks for")
        .register(registry);
    tableUnheld = MultiGauge.builder("cairn.donor.table.unheld").baseUnit("blobs")
        .description("Blobs of the table with no live trusted copy at all").register(registry);
    heartbeatAge = MultiGauge.builder("cairn.donor.heartbeat.age").baseUnit("seconds")
        .description("Time since the last heartbeat a metadata service accepted; absent "
            + "while none has").register(registry);
  }

  /** Binds every donor meter to {@code metrics}. */
  static void bind(StorageServer server, ServerMetrics metrics) {
    MeterRegistry registry = metrics.registry();
    DonorMeters meters = new DonorMeters(server, registry);
    gauge(registry, "cairn.donor.capacity", "bytes", "Bytes this donor gives at most",
        s -> s.store().capacityBytes(), server);
    gauge(registry, "cairn.donor.used", "bytes", "Blob bytes held", s -> s.store().usedBytes(),
        server);
    gauge(registry, "cairn.donor.held", "blobs", "Blobs held", s -> s.store().count(), server);
    gauge(registry, "cairn.donor.default.quota", "bytes",
        "Quota of a writer key no quota.FINGERPRINT names", s -> s.config().defaultQuotaBytes(),
        server);
    gauge(registry, "cairn.donor.upload.limit", "bytes_per_second",
        "Limit on bytes received (0: none)", s -> s.config().uploadBytesPerSecond(), server);
    gauge(registry, "cairn.donor.download.limit", "bytes_per_second",
        "Limit on bytes sent (0: none)", s -> s.config().downloadBytesPerSecond(), server);
    gauge(registry, "cairn.donor.live.peers", null,
        "Live nodes the metadata service listed in the last anti-entropy round",
        s -> s.antiEntropy().lastHoldings() == null ? Double.NaN
            : s.antiEntropy().lastHoldings().peers().size(), server);
    gauge(registry, "cairn.donor.repair.under.target", "blobs",
        "Needed blobs the last anti-entropy round saw short of their copies",
        s -> s.antiEntropy().underTargetLastRound() < 0 ? Double.NaN
            : s.antiEntropy().underTargetLastRound(), server);
    HealCounters heal = server.healCounters();
    counter(registry, "cairn.donor.repair.rounds", null, "Anti-entropy rounds run", heal,
        HealCounters::rounds);
    counter(registry, "cairn.donor.repair.pulled.blobs", "blobs", "Blobs pulled from peers", heal,
        HealCounters::pulledBlobs);
    counter(registry, "cairn.donor.repair.pulled.bytes", "bytes", "Bytes pulled from peers", heal,
        HealCounters::pulledBytes);
    counter(registry, "cairn.donor.repair.dropped", "blobs",
        "Copies dropped because enough are placed elsewhere", heal, HealCounters::droppedBlobs);
    counter(registry, "cairn.donor.repair.bad.peer", "blobs",
        "Pulled blobs whose bytes did not match their id", heal, HealCounters::badPeerBlobs);
    counter(registry, "cairn.donor.repair.refused.pulls", null,
        "Pulls refused by quota or capacity", heal, HealCounters::refusedPulls);
    counter(registry, "cairn.donor.orphan.dropped", "blobs",
        "Blobs no signed manifest names, dropped after the orphan grace", heal,
        HealCounters::orphansDropped);
    counter(registry, "cairn.donor.scrub.passes", null, "Completed scrub passes", heal,
        HealCounters::scrubPasses);
    counter(registry, "cairn.donor.scrubbed.blobs", "blobs", "Blobs re-hashed by the scrubber",
        heal, HealCounters::scrubbedBlobs);
    counter(registry, "cairn.donor.scrubbed.bytes", "bytes", "Bytes re-hashed by the scrubber",
        heal, HealCounters::scrubbedBytes);
    counter(registry, "cairn.donor.corrupt", "blobs", "Held blobs found corrupt", heal,
        HealCounters::corruptFound);
    counter(registry, "cairn.donor.vanished", "blobs", "Held blobs found missing on disk",
        heal, HealCounters::vanishedFound);
    auditCounter(registry, "passed", heal, HealCounters::auditsPassed);
    auditCounter(registry, "failed", heal, HealCounters::auditsFailed);
    auditCounter(registry, "unanswered", heal, HealCounters::auditsUnanswered);
    auditCounter(registry, "manifest_wrong", heal, HealCounters::auditsManifestWrong);
    Gauge.builder("cairn.donor.peer.audit.unauditable.shards", heal,
            HealCounters::unauditableShards)
        .description("Shards of stripes held here too large (over 16 MiB) to be audited whole")
        .register(registry);
    metrics.beforeScrape(meters::refresh);
  }

  private static void gauge(MeterRegistry registry, String name, String unit,
      String description, ToDoubleFunction<StorageServer> read, StorageServer server) {
    Gauge.builder(name, server, read).baseUnit(unit).description(description)
        .register(registry);
  }

  private static void counter(MeterRegistry registry, String name, String unit,
      String description, HealCounters counters, ToDoubleFunction<HealCounters> read) {
    FunctionCounter.builder(name, counters, read).baseUnit(unit).description(description)
        .register(registry);
  }

  private static void auditCounter(MeterRegistry registry, String result,
      HealCounters counters, ToDoubleFunction<HealCounters> read) {
    FunctionCounter.builder("cairn.donor.peer.audits", counters, read).tag("result", result)
        .description("Chunk audits of peers sharing a blob with this donor, by result")
        .register(registry);
  }

  /** Writers this donor has charges for or a configured quota of, sorted. */
  static List<String> writers(StorageServer server, Map<String, Long> usage) {
    TreeSet<String> writers = new TreeSet<>(usage.keySet());
    writers.addAll(server.config().quotaBytesByKey().keySet());
    return new ArrayList<>(writers);
  }

  private void refresh() {
    Map<String, Long> usage = server.ledger().usage();
    Map<String, Integer> blobs = server.ledger().blobCounts();
    List<MultiGauge.Row<?>> bytesRows = new ArrayList<>();
    List<MultiGauge.Row<?>> blobRows = new ArrayList<>();
    List<MultiGauge.Row<?>> quotaRows = new ArrayList<>();
    for (String writer : writers(server, usage)) {
      Tags tags = Tags.of("writer", writer);
      bytesRows.add(MultiGauge.Row.of(tags, usage.getOrDefault(writer, 0L)));
      blobRows.add(MultiGauge.Row.of(tags, blobs.getOrDefault(writer, 0)));
      quotaRows.add(MultiGauge.Row.of(tags, server.ledger().quotaBytes(writer)));
    }
    writerBytes.register(bytesRows, true);
    writerBlobs.register(blobRows, true);
    writerQuota.register(quotaRows, true);
    HoldingsReport report = server.antiEntropy().lastHoldings();
    List<TableHolding> tables = report == null ? List.of() : report.tables();
    tableBlobs.register(rows(tables, TableHolding::blobs), true);
    tableHeldBlobs.register(rows(tables, TableHolding::heldHere), true);
    tableHeldBytes.register(rows(tables, TableHolding::bytesHere), true);
    tableShort.register(rows(tables, TableHolding::shortOfCopies), true);
    tableUnheld.register(rows(tables, TableHolding::noLiveCopy), true);
    List<MultiGauge.Row<?>> ages = new ArrayList<>();
    heartbeatAges(server).forEach((meta, age) -> {
      if (!age.isNegative()) {
        ages.add(MultiGauge.Row.of(Tags.of("meta", meta), age.toNanos() / 1e9));
      }
    });
    heartbeatAge.register(ages, true);
  }

  static Map<String, Duration> heartbeatAges(StorageServer server) {
    return new TreeMap<>(server.heartbeatAges());
  }

  private static List<MultiGauge.Row<?>> rows(List<TableHolding> tables,
      ToDoubleFunction<TableHolding> read) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>(tables.size());
    for (TableHolding table : tables) {
      rows.add(MultiGauge.Row.of(Tags.of("table", table.table()), read.applyAsDouble(table)));
    }
    return rows;
  }
}
