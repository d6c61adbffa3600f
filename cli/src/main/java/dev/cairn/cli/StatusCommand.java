package dev.cairn.cli;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.Units;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Shows the cluster as the metadata services see it: nodes, then tables and their copies. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show storage nodes (live/dead, used/capacity) and tables (version, batches, copies).")
final class StatusCommand implements Callable<Integer> {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Option(names = "--meta", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
      converter = Converters.HostPorts.class, description = "Metadata services.")
  List<InetSocketAddress> meta;

  @Override
  public Integer call() {
    try (ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      MetaClient client = new MetaClient(pool, meta, TIMEOUT);
      printNodes(client.nodes());
      System.out.println();
      printTables(client);
    }
    return 0;
  }

  private static void printNodes(List<NodeInfo> nodes) {
    System.out.printf(Locale.ROOT, "%-18s %-22s %-5s %12s %12s %8s%n",
        "NODE", "ADDRESS", "STATE", "USED", "CAPACITY", "BLOBS");
    for (NodeInfo node : nodes) {
      System.out.printf(Locale.ROOT, "%-18s %-22s %-5s %12s %12s %8d%n",
          PublicKey.fromBytes(node.nodeKey()).fingerprint(), node.address(),
          node.live() ? "live" : "dead", Units.formatSize(node.usedBytes()),
          Units.formatSize(node.capacityBytes()), node.blobCount());
    }
    if (nodes.isEmpty()) {
      System.out.println("(no storage nodes have registered)");
    }
  }

  private static void printTables(MetaClient client) {
    System.out.printf(Locale.ROOT, "%-30s %8s %8s %12s %10s %8s %8s%n",
        "TABLE", "VERSION", "BATCHES", "BYTES", "ROWS", "AT_R", "UNDER_R");
    List<VerifiedHead> heads = client.tables();
    for (VerifiedHead head : heads) {
      Manifest manifest = head.signed().manifest();
      List<ContentId> ids = new ArrayList<>();
      long bytes = 0;
      long rows = 0;
      for (BatchRef batch : manifest.batches()) {
        ids.add(batch.id());
        bytes += batch.byteSize();
        rows += batch.rowCount();
      }
      int replicas = manifest.redundancy().replicas();
      int atR = 0;
      if (!ids.isEmpty()) {
        for (BlobPlacement placement : client.placement(replicas, ids)) {
          atR += placement.holders().size() >= replicas ? 1 : 0;
        }
      }
      System.out.printf(Locale.ROOT, "%-30s %8d %8d %12s %10d %8d %8d%n",
          head.schema() + "." + head.table(), head.version(), ids.size(),
          Units.formatSize(bytes), rows, atR, ids.size() - atR);
    }
    if (heads.isEmpty()) {
      System.out.println("(no tables have been published)");
    }
  }
}
