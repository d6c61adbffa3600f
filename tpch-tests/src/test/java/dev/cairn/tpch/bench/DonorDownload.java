package dev.cairn.tpch.bench;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.fetch.FetchOptions;
import dev.cairn.client.fetch.FetchRequest;
import dev.cairn.client.fetch.FetchScheduler;
import dev.cairn.client.fetch.FetchStream;
import dev.cairn.client.fetch.FetchedBlob;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Downloads whole tables from the donors through the client alone, the way a reader without
 * the driver would: verified head ({@link MetaClient#head}), placement of every batch, then
 * every blob from its holders with the multi-source {@link FetchScheduler} (each blob checked
 * against its SHA-256 id). Nothing is pruned and nothing is cached.
 */
final class DonorDownload implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int RESULTS_IN_FLIGHT = 16;
  private static final HexFormat HEX = HexFormat.of();

  /** One table's signed manifest and its verified blobs, in manifest order. */
  record Table(Manifest manifest, List<byte[]> blobs) {
    long bytes() {
      return blobs.stream().mapToLong(b -> b.length).sum();
    }
  }

  private final ConnectionPool pool = new ConnectionPool(Duration.ofSeconds(10));
  private final MetaClient meta;
  private final FetchScheduler scheduler;

  DonorDownload(InetSocketAddress metaService) {
    this.meta = new MetaClient(pool, List.of(requireNonNull(metaService, "metaService")),
        TIMEOUT);
    this.scheduler = new FetchScheduler(pool, FetchOptions.defaults().withCallTimeout(TIMEOUT),
        (holder, id, why) -> {
          throw new IllegalStateException("holder " + holder + " served bad bytes: " + why);
        });
  }

  /** Returns the newest verified manifest of {@code schema.table}. */
  Manifest manifest(String schema, String table) {
    VerifiedHead head = meta.head(schema, table).orElseThrow(() -> new CairnException(
        ErrorCode.NOT_FOUND, "no head of " + schema + "." + table));
    return head.signed().manifest();
  }

  /** Downloads every batch of {@code schema.table}, verified. */
  Table download(String schema, String table) {
    Manifest manifest = manifest(schema, table);
    List<BatchRef> batches = manifest.batches();
    List<ContentId> ids = batches.stream().map(BatchRef::id).toList();
    List<BlobPlacement> placements = meta.placement(manifest.redundancy().replicas(), ids);
    Map<String, InetSocketAddress> nodes = new HashMap<>();
    for (NodeInfo n : meta.nodes()) {
      nodes.put(HEX.formatHex(n.nodeKey()), HostPort.parse(n.address()).resolve());
    }
    List<FetchRequest> requests = new ArrayList<>();
    for (int i = 0; i < batches.size(); i++) {
      Set<String> keys = new LinkedHashSet<>();
      placements.get(i).holders().forEach(k -> keys.add(HEX.formatHex(k)));
      placements.get(i).placed().forEach(k -> keys.add(HEX.formatHex(k)));
      List<InetSocketAddress> holders = keys.stream().map(nodes::get)
          .filter(a -> a != null).toList();
      requests.add(new FetchRequest(ids.get(i), batches.get(i).byteSize(), holders));
    }
    Map<ContentId, byte[]> got = new HashMap<>();
    try (FetchStream stream = scheduler.fetchAll(requests, RESULTS_IN_FLIGHT)) {
      while (stream.hasNext()) {
        FetchedBlob blob = stream.next();
        got.put(blob.id(), blob.verifiedBytes());
      }
    }
    return new Table(manifest, ids.stream().map(got::get).toList());
  }

  @Override
  public void close() {
    scheduler.close();
    pool.close();
  }
}
