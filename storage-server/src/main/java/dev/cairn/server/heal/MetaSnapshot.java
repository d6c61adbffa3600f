package dev.cairn.server.heal;

import static java.util.Objects.requireNonNull;

import dev.cairn.server.heal.ClusterView.Need;
import dev.cairn.server.heal.ClusterView.Peer;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import dev.cairn.wire.message.MetaMessages.GetHead;
import dev.cairn.wire.message.MetaMessages.Heads;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.MetaMessages.PlacementRequest;
import dev.cairn.wire.message.MetaMessages.TableHead;
import dev.cairn.wire.message.NodeStanding;
import dev.cairn.wire.rpc.Exchanges;
import dev.cairn.wire.rpc.RpcConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Builds a {@link ClusterView} from one metadata service with the ordinary requests:
 * LIST_TABLES, GET_VERSIONS per table, LIST_NODES, and PLACEMENT (for holders only).
 *
 * <p>Design: the node computes its want-list itself rather than asking the service for one.
 * Every manifest is decoded with {@link ManifestCodec#decode}, which verifies the writer's
 * signature, so a metadata service cannot make a donor store (or be charged for) anything a
 * writer did not sign; it can only withhold manifests or lie about liveness and holdings, and
 * a wrong holder list costs a failed pull, never a wrong byte. The price is that every node
 * reads every manifest once per round; a want-list request could replace this when manifests
 * outgrow it, without changing the rules.
 */
final class MetaSnapshot {
  private static final Logger LOG = Logger.getLogger(MetaSnapshot.class.getName());
  /** Ids per PLACEMENT request, well under the service's CPU bound for hundreds of nodes. */
  static final int PLACEMENT_IDS_PER_REQUEST = 20_000;

  private final RpcConnection meta;
  private final Duration timeout;
  private final Map<String, Integer> keepVersionsByKey;
  /** Blobs of kept versions by {@code schema.table}, filled by {@link #take}. */
  private final Map<String, Set<ContentId>> keptBlobsByTable = new HashMap<>();
  /** Kept erasure-coded batches by batch id, filled by {@link #take}. */
  private final Map<ContentId, StripeRepair.StripeNeed> stripes = new java.util.LinkedHashMap<>();
  private Map<ContentId, List<PublicKey>> shardHolders = Map.of();
  /** Every blob (batch or shard) any version's manifest names, kept or not, from {@link #take}. */
  private final Set<ContentId> named = new HashSet<>();
  /** False once {@link #take} skipped a table or a version it could not read. */
  private boolean complete = true;

  MetaSnapshot(RpcConnection meta, Duration timeout, Map<String, Integer> keepVersionsByKey) {
    this.meta = requireNonNull(meta, "meta");
    this.timeout = requireNonNull(timeout, "timeout");
    this.keepVersionsByKey = Map.copyOf(keepVersionsByKey);
  }

  /** Takes the snapshot; CairnException if the service fails or times out. */
  ClusterView take() {
    Map<ContentId, Need> needs = new HashMap<>();
    Set<ContentId> releasable = new HashSet<>();
    Set<ContentId> keptShards = new HashSet<>();
    Heads tables = Exchanges.LIST_TABLES.call(meta, timeout);
    Set<String> seen = new HashSet<>(); // a forked table is listed once per head
    for (TableHead head : tables.heads()) {
      try {
        Manifest newest = ManifestCodec.decode(head.manifest()).manifest();
        if (!seen.add(head.schema() + "." + newest.tableName())) {
          continue;
        }
        addTable(head.schema(), newest.tableName(), needs, releasable, keptShards);
      } catch (CairnException e) {
        if (e.code() == ErrorCode.IO_ERROR || e.code() == ErrorCode.BUSY
            || Thread.currentThread().isInterrupted()) {
          throw e;
        }
        complete = false;
        LOG.warning("anti-entropy skips table " + head.schema() + ": " + e.getMessage());
      }
    }
    releasable.removeAll(needs.keySet());
    releasable.removeAll(keptShards);
    Map<PublicKey, Peer> live = liveNodes();
    shardHolders = holders(keptShards, live);
    return new ClusterView(needs, releasable, live, holders(needs.keySet(), live));
  }

  private void addTable(String schema, String table, Map<ContentId, Need> needs,
      Set<ContentId> releasable, Set<ContentId> keptShards) {
    ByteBuf request = Unpooled.buffer();
    new GetHead(schema, table, 0).writeTo(request);
    List<Manifest> versions = new ArrayList<>();
    for (TableHead head : Exchanges.GET_VERSIONS.call(meta, request, timeout).heads()) {
      try {
        versions.add(ManifestCodec.decode(head.manifest()).manifest());
      } catch (CairnException e) {
        complete = false;
        LOG.warning("anti-entropy skips a version of " + schema + "." + table + ": "
            + e.getMessage());
      }
    }
    versions.sort((a, b) -> Long.compare(b.version(), a.version())); // newest first
    int rank = -1; // counts distinct versions: every head of a forked version shares one rank
    for (int i = 0; i < versions.size(); i++) {
      Manifest m = versions.get(i);
      if (i == 0 || versions.get(i - 1).version() != m.version()) {
        rank++;
      }
      String writer = m.writerKey().fingerprint().toString();
      int keep = keepVersionsByKey.getOrDefault(writer, Integer.MAX_VALUE);
      boolean kept = rank < Math.max(1, keep); // the newest version is always kept
      for (BatchRef batch : m.batches()) {
        named.add(batch.id());
        named.addAll(batch.shardIds());
      }
      if (m.redundancy().isErasure()) {
        // Shards are placed one per node by stripe, not R per blob: the replica planner must
        // neither move nor repair them as copies. Only keep-versions releases them.
        for (BatchRef batch : m.batches()) {
          (kept ? keptShards : releasable).addAll(batch.shardIds());
          if (kept) {
            stripes.putIfAbsent(batch.id(), new StripeRepair.StripeNeed(batch, writer,
                m.redundancy().dataShards(), m.redundancy().parityShards()));
          }
        }
        continue;
      }
      for (BatchRef batch : m.batches()) {
        if (!kept) {
          releasable.add(batch.id());
          continue;
        }
        keptBlobsByTable.computeIfAbsent(schema + "." + table, t -> new HashSet<>())
            .add(batch.id());
        Need need = new Need(batch.id(), writer, m.redundancy().replicas(), batch.byteSize(),
            batch.chunkRoot());
        needs.merge(batch.id(), need, MetaSnapshot::stricter);
      }
    }
  }

  /**
   * Returns every blob (batch or shard) that a version the last take read names, whether this
   * donor keeps that version or not: what is not an orphan.
   */
  Set<ContentId> named() {
    return named;
  }

  /**
   * Returns true if the last take read every table and version the service listed: only then
   * does a blob missing from {@link #named} mean that no manifest there names it.
   */
  boolean complete() {
    return complete;
  }

  /** Returns the blobs of kept versions by {@code schema.table}, as the last take saw them. */
  Map<String, Set<ContentId>> keptBlobsByTable() {
    return keptBlobsByTable;
  }

  /**
   * Returns the need with more replicas; a chunk root missing there (a format 1 manifest) is
   * taken from the other, so a blob one newer version gives a root can be audited.
   */
  private static Need stricter(Need a, Need b) {
    Need winner = a.replicas() >= b.replicas() ? a : b;
    Need other = winner == a ? b : a;
    if (winner.chunkRoot() != null || other.chunkRoot() == null) {
      return winner;
    }
    return new Need(winner.id(), winner.writerFingerprint(), winner.replicas(),
        winner.sizeBytes(), other.chunkRoot());
  }

  /** Returns the kept erasure-coded batches the last {@link #take} found. */
  List<StripeRepair.StripeNeed> stripes() {
    return List.copyOf(stripes.values());
  }

  /** Returns the live holders of every shard of {@link #stripes}, from the last take. */
  Map<ContentId, List<PublicKey>> shardHolders() {
    return shardHolders;
  }

  private Map<PublicKey, Peer> liveNodes() {
    Map<PublicKey, Peer> live = new HashMap<>();
    for (NodeInfo node : Exchanges.LIST_NODES.call(meta, timeout).nodes()) {
      // A disqualified node is neither a target nor a source: its claims are not believed.
      if (node.live() && node.standing() != NodeStanding.DISQUALIFIED) {
        PublicKey key = PublicKey.fromBytes(node.nodeKey());
        long free = Math.max(0, node.capacityBytes() - node.usedBytes());
        live.put(key, new Peer(key, node.address(), free, node.score(), node.standing(),
            node.zone()));
      }
    }
    return live;
  }

  private Map<ContentId, List<PublicKey>> holders(Set<ContentId> ids,
      Map<PublicKey, Peer> live) {
    Map<ContentId, List<PublicKey>> holders = new HashMap<>();
    List<ContentId> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += PLACEMENT_IDS_PER_REQUEST) {
      List<ContentId> chunk = all.subList(from,
          Math.min(all.size(), from + PLACEMENT_IDS_PER_REQUEST));
      ByteBuf request = Unpooled.buffer();
      new PlacementRequest(1, chunk).writeTo(request);
      List<BlobPlacement> rows = Exchanges.PLACEMENT.call(meta, request, timeout).blobs();
      if (rows.size() != chunk.size()) {
        throw new CairnException(ErrorCode.BAD_FRAME, "PLACEMENT_RESULT has " + rows.size()
            + " rows for " + chunk.size() + " ids");
      }
      for (int i = 0; i < rows.size(); i++) {
        List<PublicKey> keys = new ArrayList<>();
        for (byte[] key : rows.get(i).holders()) {
          PublicKey holder = PublicKey.fromBytes(key);
          if (live.containsKey(holder)) {
            keys.add(holder);
          }
        }
        holders.put(chunk.get(i), keys);
      }
    }
    return holders;
  }
}
