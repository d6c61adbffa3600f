package dev.cairn.client.publish;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.input.SchemaSpec;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.NodeClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.manifest.RedundancyPolicy;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Publishes input files as a new version of a table: claim the name, read the head, cut and
 * encode batches, put each on R storage nodes, then sign the manifest and publish it as the
 * new head on every metadata service.
 *
 * <p>A version becomes visible whole or not at all: the head is published only after every
 * batch has R confirmed copies, and any failure before that publishes nothing. Blobs are
 * content-addressed, so a re-run after a failure re-encodes the same batches, finds them with
 * HAS and sends only what is missing. The new version must keep the head's schema, and the
 * check happens before anything is uploaded, as does the check for R live nodes.
 */
public final class Publisher {
  private static final Logger LOG = Logger.getLogger(Publisher.class.getName());
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final ConnectionPool pool;
  private final ProgressListener progress;

  /** Creates a publisher that uses {@code pool} (not closed by it). */
  public Publisher(ConnectionPool pool, ProgressListener progress) {
    this.pool = requireNonNull(pool, "pool");
    this.progress = requireNonNull(progress, "progress");
  }

  /** Publishes with a connection pool of its own, closed afterwards. */
  public static PublishResult publish(PublishRequest request, ProgressListener progress) {
    try (ConnectionPool pool = new ConnectionPool(CONNECT_TIMEOUT)) {
      return new Publisher(pool, progress).publish(request);
    }
  }

  /** Publishes {@code request}; throws a CairnException naming what failed. */
  public PublishResult publish(PublishRequest request) {
    long startNanos = System.nanoTime();
    MetaClient meta = new MetaClient(pool, request.metaServices(), request.callTimeout());
    meta.claimName(request.key(), request.schemaName());
    Optional<VerifiedHead> head = meta.head(request.schemaName(), request.tableName());
    head.ifPresent(h -> checkWriter(h, request));
    Map<String, NodeClient> nodes = liveNodes(meta, request);
    BatchPipeline.Outcome outcome;
    TableSchema headSchema = head.map(h -> h.signed().manifest().schema()).orElse(null);
    TableSchema given = request.schema() == null ? headSchema : SchemaSpec.parse(request.schema());
    try (InputSequence inputs = new InputSequence(request.inputs(), request.delimiter(), given)) {
      if (headSchema != null) {
        String difference = SchemaDiff.describe(headSchema, inputs.schema());
        if (difference != null) {
          throw new CairnException(ErrorCode.BAD_FORMAT, "the input does not match the schema "
              + "of " + request.schemaName() + "." + request.tableName() + " version "
              + head.get().version() + ": " + difference);
        }
      }
      progress.started(totalBytes(request.inputs()));
      outcome = new BatchPipeline(request, nodes, progress).run(inputs);
    }
    SignedManifest signed = sign(request, head, outcome);
    MetaClient.PublishOutcome published = meta.publishHead(request.schemaName(), signed);
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

  private static void checkWriter(VerifiedHead head, PublishRequest request) {
    if (!head.signed().manifest().writerKey().equals(request.key().publicKey())) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, request.schemaName() + "."
          + request.tableName() + " is signed by key "
          + head.signed().manifest().writerKey().fingerprint() + ", not by "
          + request.key().publicKey().fingerprint());
    }
  }

  private Map<String, NodeClient> liveNodes(MetaClient meta, PublishRequest request) {
    Map<String, NodeClient> nodes = new LinkedHashMap<>();
    for (NodeInfo info : meta.nodes()) {
      if (!info.live()) {
        continue;
      }
      try {
        InetSocketAddress address = HostPort.parse(info.address()).resolve();
        nodes.put(HexFormat.of().formatHex(info.nodeKey()),
            new NodeClient(pool, address, info.nodeKey(), request.callTimeout()));
      } catch (CairnException e) {
        LOG.warning("skipping storage node with a bad address: " + e.getMessage());
      }
    }
    if (nodes.size() < request.replicas()) {
      throw new CairnException(ErrorCode.BUSY, "need " + request.replicas()
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
        RedundancyPolicy.replicas(request.replicas()), outcome.batches());
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
