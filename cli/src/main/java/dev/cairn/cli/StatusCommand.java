package dev.cairn.cli;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.Fork;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.Placement;
import dev.cairn.wire.Units;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.message.LedgerMessages;
import dev.cairn.wire.message.LedgerMessages.LedgerEntry;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Shows the cluster as the metadata services see it: nodes with their audit reputation and
 * standing (VETTING, ACTIVE, DISQUALIFIED; docs/operations.md, "Reputation"), then every
 * version of every table with how many of its blobs are at R live copies, under R, and lost
 * (no live holder), then any forked table (FORK: one version with two signed heads, each id
 * listed with the service it came from). With {@code --wait-healthy} it instead polls until every blob of every
 * newest version is at R, for scripts and tests: exit 0 then, 1 with the shortfall named at
 * the timeout.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show storage nodes (live/dead, zone, used/capacity, audit reputation, "
        + "audits passed/failed/unanswered, standing VETTING/ACTIVE/DISQUALIFIED, and from the "
        + "contribution ledger: bytes its audits back now, credit earned, bytes read), tables (per "
        + "version: blobs at R copies, under R, lost; a disqualified node's or a failed "
        + "audit's copies do not count), whether fewer zones are live than copies wanted, and "
        + "forked tables (a version with two different signed heads: table, version, both ids "
        + "and where each was seen).")
final class StatusCommand implements Callable<Integer> {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** Pause between two health checks while waiting. */
  private static final long WAIT_POLL_MS = 250;

  @Mixin MetaOption metaOption;

  @Option(names = "--wait-healthy", paramLabel = "TIMEOUT", converter = Converters.Time.class,
      description = "Wait until every blob of every newest version has R live copies; exit 0 "
          + "then, 1 at the timeout (e.g. 2m).")
  Duration waitHealthy;

  /** Blob counts of one table version. */
  record Health(String table, long version, int batches, long bytes, long rows, int atR,
      int underR, int lost, int replicas) {
    boolean healthy() {
      return underR == 0 && lost == 0;
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    try (ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      MetaClient client = new MetaClient(pool, metaOption.addresses(), TIMEOUT);
      if (waitHealthy != null) {
        return waitHealthy(client, waitHealthy);
      }
      List<NodeInfo> nodes = client.nodes();
      printNodes(nodes, ledger(client, nodes));
      System.out.println();
      MetaClient.TableListing listing = client.tables();
      List<Health> tables = health(client, listing, true);
      printTables(tables);
      zoneConstraint(nodes, tables).ifPresent(System.out::println);
      printForks(listing.forks());
    }
    return 0;
  }

  private static int waitHealthy(MetaClient client, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Health> unhealthy = List.of();
    while (true) {
      try {
        unhealthy = health(client, client.tables(), false).stream()
            .filter(h -> !h.healthy()).toList();
        if (unhealthy.isEmpty()) {
          System.out.println("healthy: every blob of every newest version has R live copies");
          return 0;
        }
      } catch (RuntimeException e) {
        System.err.println("status check failed, retrying: " + e.getMessage());
      }
      if (System.nanoTime() - deadline > 0) {
        break;
      }
      Thread.sleep(WAIT_POLL_MS);
    }
    PrintStream err = System.err;
    err.println("not healthy after " + timeout.toSeconds() + " s: " + unhealthy.size()
        + " newest versions have blobs short of R live copies:");
    for (Health h : unhealthy) {
      err.printf(Locale.ROOT, "  %s v%d: %d of %d blobs under R, %d lost%n", h.table(),
          h.version(), h.underR(), h.batches(), h.lost());
    }
    return 1;
  }

  /**
   * Returns the nodes' ledger entries in their order, or null when no service answers
   * GET_LEDGER (one that predates the ledger): the columns then say {@code -}.
   */
  private static List<LedgerEntry> ledger(MetaClient client, List<NodeInfo> nodes) {
    if (nodes.isEmpty() || nodes.size() > LedgerMessages.LEDGER_KEYS_MAX) {
      return null;
    }
    try {
      return client.ledger(nodes.stream().map(NodeInfo::nodeKey).toList()).entries();
    } catch (dev.cairn.wire.CairnException e) {
      return null;
    }
  }

  private static void printNodes(List<NodeInfo> nodes, List<LedgerEntry> ledger) {
    System.out.printf(Locale.ROOT,
        "%-18s %-22s %-5s %-18s %12s %12s %8s %10s %-16s %-12s %12s %12s %12s%n",
        "NODE", "ADDRESS", "STATE", "ZONE", "USED", "CAPACITY", "BLOBS", "REPUTATION",
        "AUDITS OK/BAD/NA", "STANDING", "AUDITED", "CREDIT", "READ");
    for (int i = 0; i < nodes.size(); i++) {
      NodeInfo node = nodes.get(i);
      LedgerEntry entry = ledger == null ? null : ledger.get(i);
      System.out.printf(Locale.ROOT,
          "%-18s %-22s %-5s %-18s %12s %12s %8d %10.3f %-16s %-12s %12s %12s %12s%n",
          PublicKey.fromBytes(node.nodeKey()).fingerprint(), node.address(),
          node.live() ? "live" : "dead", node.zone(), Units.formatSize(node.usedBytes()),
          Units.formatSize(node.capacityBytes()), node.blobCount(), node.reputation(),
          node.auditsPassed() + "/" + node.auditsFailed() + "/" + node.auditsUnanswered(),
          node.standing(), size(entry == null ? -1 : entry.auditedBytes()),
          size(entry == null ? -1 : entry.creditBytes()),
          size(entry == null ? -1 : entry.debitBytes()));
    }
    if (nodes.isEmpty()) {
      System.out.println("(no storage nodes have registered)");
    }
  }

  private static String size(long bytes) {
    return bytes < 0 ? "-" : Units.formatSize(bytes);
  }

  /** Returns the health of every table's newest version, or of every version. */
  static List<Health> health(MetaClient client, MetaClient.TableListing listing,
      boolean allVersions) {
    List<Health> result = new ArrayList<>();
    List<VerifiedHead> heads = new ArrayList<>(listing.heads());
    listing.forks().forEach(f -> f.branches().forEach(b -> heads.add(b.head())));
    // Every version of a table once: the history of a forked table already holds each branch.
    Set<String> listed = new HashSet<>();
    for (VerifiedHead head : heads) {
      if (allVersions && !listed.add(head.schema() + "." + head.table())) {
        continue;
      }
      List<VerifiedHead> versions = allVersions
          ? client.versions(head.schema(), head.table()) : List.of(head);
      for (VerifiedHead version : versions) {
        result.add(health(client, version));
      }
    }
    return result;
  }

  private static Health health(MetaClient client, VerifiedHead head) {
    Manifest manifest = head.signed().manifest();
    List<ContentId> ids = new ArrayList<>();
    long bytes = 0;
    long rows = 0;
    for (BatchRef batch : manifest.batches()) {
      ids.add(batch.id());
      bytes += batch.byteSize();
      rows += batch.rowCount();
    }
    if (manifest.redundancy().isErasure()) {
      return stripeHealth(client, head, bytes, rows);
    }
    int replicas = manifest.redundancy().replicas();
    int atR = 0;
    int lost = 0;
    if (!ids.isEmpty()) {
      for (BlobPlacement placement : client.placement(replicas, ids)) {
        int live = placement.holders().size();
        atR += live >= replicas ? 1 : 0;
        lost += live == 0 ? 1 : 0;
      }
    }
    return new Health(head.schema() + "." + head.table(), head.version(), ids.size(), bytes,
        rows, atR, ids.size() - atR - lost, lost, replicas);
  }

  /**
   * Returns the health of an erasure-coded version, one stripe per batch: complete when every
   * one of its k + m shards has a live holder (counted as AT_R), degraded from k to k + m - 1
   * (UNDER_R: readable, short of full redundancy), lost below k (LOST: unreadable).
   */
  private static Health stripeHealth(MetaClient client, VerifiedHead head, long bytes,
      long rows) {
    Manifest manifest = head.signed().manifest();
    int k = manifest.redundancy().dataShards();
    int shards = manifest.redundancy().shardCount();
    int complete = 0;
    int lost = 0;
    for (BatchRef batch : manifest.batches()) {
      int held = 0;
      for (BlobPlacement placement : client.placement(shards, batch.shardIds())) {
        held += placement.holders().isEmpty() ? 0 : 1;
      }
      complete += held == shards ? 1 : 0;
      lost += held < k ? 1 : 0;
    }
    int batches = manifest.batches().size();
    return new Health(head.schema() + "." + head.table(), head.version(), batches, bytes,
        rows, complete, batches - complete - lost, lost, shards);
  }

  /**
   * Says when placement cannot keep every copy in its own zone: some table wants more copies
   * than there are live zones, so the extra copies share zones (docs/operations.md, "Zones").
   */
  static Optional<String> zoneConstraint(List<NodeInfo> nodes, List<Health> tables) {
    List<Placement.Node> live = nodes.stream().filter(NodeInfo::live)
        .map(NodeInfo::placementNode).toList();
    int zones = Placement.zoneCount(live);
    int wanted = tables.stream().mapToInt(Health::replicas).max().orElse(0);
    if (wanted <= zones || live.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "placement is zone-constrained: %d copies "
        + "wanted, %d zones live; copies beyond one per zone share a zone (add donors in "
        + "other zones)", wanted, zones));
  }

  /** Prints every forked table: its version and each head id with where it was seen. */
  private static void printForks(List<Fork> forks) {
    if (forks.isEmpty()) {
      return;
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "%-30s %8s  %s%n", "FORKED TABLE", "VERSION",
        "HEADS (writer must publish a successor of one; docs/operations.md, \"Forks\")");
    for (Fork fork : forks) {
      List<String> ids = new ArrayList<>();
      fork.branches().forEach(b -> ids.add(b.id().toShortHex() + ".. " + b.where()));
      System.out.printf(Locale.ROOT, "%-30s %8d  %s%n", fork.schema() + "." + fork.table(),
          fork.version(), String.join(", ", ids));
    }
  }

  private static void printTables(List<Health> tables) {
    System.out.printf(Locale.ROOT, "%-30s %8s %8s %12s %10s %8s %8s %6s%n",
        "TABLE", "VERSION", "BATCHES", "BYTES", "ROWS", "AT_R", "UNDER_R", "LOST");
    for (Health h : tables) {
      System.out.printf(Locale.ROOT, "%-30s %8d %8d %12s %10d %8d %8d %6d%n", h.table(),
          h.version(), h.batches(), Units.formatSize(h.bytes()), h.rows(), h.atR(), h.underR(),
          h.lost());
    }
    if (tables.isEmpty()) {
      System.out.println("(no tables have been published)");
    }
  }
}
