package dev.cairn.client.publish;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.heads.HeadStateFile;
import dev.cairn.client.heads.SeenHeads;
import dev.cairn.client.input.InputOpener;
import dev.cairn.client.input.SchemaSpec;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.NodeClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.Placement;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.manifest.RedundancyPolicy;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.message.MetaMessages.ClaimName;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Publishes input files as a new version of a table: claim the name, read the head, cut and
 * encode batches, put each on R storage nodes (or its k + m erasure-coded shards on as many
 * nodes), then sign the manifest and publish it as the
 * new head on every metadata service.
 *
 * <p>A version becomes visible whole or not at all: the head is published only after every
 * batch has R confirmed copies (or all k + m shards stored), and any failure before that
 * publishes nothing. Blobs are content-addressed, so a re-run after a failure re-encodes the
 * same batches, finds them with HAS and sends only what is missing (donors keep blobs no
 * manifest names for their orphan grace, 24 h by default, and a HAS restarts it). The new
 * version must keep the head's schema, and the check happens before anything is uploaded, as
 * does the check for R live nodes.
 *
 * <p>With a head record ({@link PublishRequest#headRecord}), the writer first checks every
 * service against its own last published head and restores those behind it ({@link
 * HeadReconciler}), so a rolled-back service can never make it publish a second, different
 * version with a number it already used; the new head is recorded after it is published.
 */
public final class Publisher {
  private static final Logger LOG = Logger.getLogger(Publisher.class.getName());
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final ConnectionPool pool;
  private final ProgressListener progress;
  /** Opens the input files; null: the client's own CSV and Arrow IPC readers. */
  private final InputOpener opener;

  /** Creates a publisher that uses {@code pool} (not closed by it). */
  public Publisher(ConnectionPool pool, ProgressListener progress) {
    this(pool, progress, null);
  }

  /**
   * Creates a publisher that uses {@code pool} (not closed by it) and opens inputs with {@code
   * opener} (null: {@link InputOpener#builtIn} with the request's delimiter).
   */
  public Publisher(ConnectionPool pool, ProgressListener progress, InputOpener opener) {
    this.pool = requireNonNull(pool, "pool");
    this.progress = requireNonNull(progress, "progress");
    this.opener = opener;
  }

  /** Publishes with a connection pool of its own, closed afterwards. */
  public static PublishResult publish(PublishRequest request, ProgressListener progress) {
    return publish(request, progress, null);
  }

  /** Publishes with a connection pool of its own and inputs opened by {@code opener}. */
  public static PublishResult publish(PublishRequest request, ProgressListener progress,
      InputOpener opener) {
    try (ConnectionPool pool = new ConnectionPool(CONNECT_TIMEOUT)) {
      return new Publisher(pool, progress, opener).publish(request);
    }
  }

  /** Publishes {@code request}; throws a CairnException naming what failed. */
  public PublishResult publish(PublishRequest request) {
    long startNanos = System.nanoTime();
    MetaClient meta = new MetaClient(pool, request.metaServices(), request.callTimeout());
    meta.claimName(request.key(), request.schemaName());
    HeadStateFile record = request.headRecord() == null ? null
        : new HeadStateFile(request.headRecord());
    Optional<VerifiedHead> head = new HeadReconciler(meta, request.schemaName(),
        request.tableName()).parent(ownHead(record, request));
    head.ifPresent(h -> checkWriter(h, request));
    List<NodeInfo> listed = meta.liveNodes();
    List<Placement.Node> placementNodes = new ArrayList<>();
    Map<String, NodeClient> nodes = liveNodes(listed, request, placementNodes);
    Set<String> vetting = new HashSet<>();
    for (NodeInfo info : listed) {
      if (info.standing() == NodeStanding.VETTING) {
        vetting.add(HexFormat.of().formatHex(info.nodeKey()));
      }
    }
    BatchPipeline.Outcome outcome;
    TableSchema headSchema = head.map(h -> h.signed().manifest().schema()).orElse(null);
    TableSchema given = request.schema() == null ? headSchema : SchemaSpec.parse(request.schema());
    InputOpener inputOpener = opener != null ? opener : InputOpener.builtIn(request.delimiter());
    try (InputSequence inputs = new InputSequence(request.inputs(), inputOpener, given,
        (int) Math.min(Integer.MAX_VALUE / 2, request.batchTargetBytes()))) {
      if (headSchema != null) {
        String difference = SchemaDiff.describe(headSchema, inputs.schema());
        if (difference != null) {
          throw new CairnException(ErrorCode.BAD_FORMAT, "the input does not match the schema "
              + "of " + request.schemaName() + "." + request.tableName() + " version "
              + head.get().version() + ": " + difference);
        }
      }
      progress.started(totalBytes(request.inputs()));
      outcome = new BatchPipeline(request, nodes, placementNodes, vetting, progress)
          .run(inputs);
    }
    SignedManifest signed = sign(request, head, outcome);
    MetaClient.PublishOutcome published = meta.publishHead(request.schemaName(), signed);
    if (record != null) {
      remember(record, request, signed);
    }
    publishInitialTimestamp(meta, request, signed);
    Map<InetSocketAddress, String> metaFailures = new LinkedHashMap<>();
    published.failures().forEach((service, why) -> metaFailures.put(service, why.getMessage()));
    long bytes = 0;
    long rows = 0;
    for (BatchRef batch : outcome.batches()) {
      bytes += batch.byteSize();
      rows += batch.rowCount();
    }
    PublishResult result = new PublishResult(signed.manifest().version(), signed.id(),
        outcome.batches().size(), rows, bytes, outcome.uploadedBytes(),
        (System.nanoTime() - startNanos) / 1e9, metaFailures);
    progress.finished(result);
    return result;
  }

  /** Returns the writer's own last published head of the table, from its record. */
  private static Optional<VerifiedHead> ownHead(HeadStateFile record, PublishRequest request) {
    if (record == null) {
      return Optional.empty();
    }
    return record.load().newest(new SeenHeads.TableKey(request.key().publicKey(),
        request.schemaName(), request.tableName()));
  }

  /** Records {@code signed} as the writer's newest head of its table. */
  private static void remember(HeadStateFile record, PublishRequest request,
      SignedManifest signed) {
    byte[] claim = request.key().sign(SignatureDomain.CLAIM_NAME,
        ClaimName.signedMessage(request.schemaName()));
    SeenHeads published = new SeenHeads();
    published.observe(new VerifiedHead(request.schemaName(), claim, signed));
    try {
      record.update(published);
    } catch (CairnException e) {
      // Published already; a missing record only weakens the next publish's checks.
      LOG.warning("published, but cannot update the writer's head record: " + e.getMessage());
    }
  }

  private static void checkWriter(VerifiedHead head, PublishRequest request) {
    if (!head.signed().manifest().writerKey().equals(request.key().publicKey())) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, request.schemaName() + "."
          + request.tableName() + " is signed by key "
          + head.signed().manifest().writerKey().fingerprint() + ", not by "
          + request.key().publicKey().fingerprint());
    }
  }

  /**
   * Returns clients of the live, not disqualified nodes of {@code listed} by key hex; adds each
   * to {@code placement} with its zone.
   */
  private Map<String, NodeClient> liveNodes(List<NodeInfo> listed, PublishRequest request,
      List<Placement.Node> placement) {
    Map<String, NodeClient> nodes = new LinkedHashMap<>();
    for (NodeInfo info : listed) {
      if (!info.live() || info.standing() == NodeStanding.DISQUALIFIED) {
        continue; // a disqualified node's audits failed: it gets no new copies
      }
      try {
        InetSocketAddress address = HostPort.parse(info.address()).resolve();
        nodes.put(HexFormat.of().formatHex(info.nodeKey()),
            new NodeClient(pool, address, info.nodeKey(), request.callTimeout()));
        placement.add(info.placementNode());
      } catch (CairnException e) {
        LOG.warning("skipping storage node with a bad address: " + e.getMessage());
      }
    }
    RedundancyPolicy policy = request.redundancy();
    if (policy.isErasure() && nodes.size() < policy.shardCount()) {
      // Not a passing state to wait out like BUSY: k + m must fit the network's width.
      throw new CairnException(ErrorCode.BAD_CONFIG, "erasure coding "
          + policy.dataShards() + "+" + policy.parityShards() + " needs "
          + policy.shardCount() + " live storage nodes, one per shard; found " + nodes.size()
          + ": choose k + m of at most " + nodes.size());
    }
    if (nodes.size() < policy.donorsPerBatch()) {
      throw new CairnException(ErrorCode.BUSY, "need " + policy.donorsPerBatch()
          + " live storage nodes, found " + nodes.size());
    }
    return nodes;
  }

  private static SignedManifest sign(PublishRequest request, Optional<VerifiedHead> head,
      BatchPipeline.Outcome outcome) {
    long version = head.map(h -> h.version() + 1).orElse(1L);
    ContentId parent = head.map(VerifiedHead::id).orElse(null);
    Manifest manifest = new Manifest(request.tableName(), request.key().publicKey(), version,
        parent, System.currentTimeMillis(), request.refreshEvery().toMillis(), outcome.schema(),
        request.redundancy(), outcome.batches());
    return ManifestCodec.sign(manifest, request.key());
  }

  /**
   * Sends the first head timestamp of a version with a freshness promise. The head is already
   * published and valid for one period by its own createdAt, so a failure here only warns:
   * the next {@code cairn refresh} repairs it.
   */
  private static void publishInitialTimestamp(MetaClient meta, PublishRequest request,
      SignedManifest signed) {
    if (request.refreshEvery().isZero()) {
      return;
    }
    try {
      Refresher.publish(meta, request.key(), signed, null);
    } catch (CairnException e) {
      LOG.warning("published " + request.schemaName() + "." + request.tableName()
          + " but not its first head timestamp: " + e.getMessage());
    }
  }

  private static long totalBytes(List<Path> inputs) {
    long total = 0;
    for (Path input : inputs) {
      try {
        total += Files.size(input);
      } catch (java.io.IOException e) {
        return -1;
      }
    }
    return total;
  }

}
