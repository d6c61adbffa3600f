package dev.cairn.client.publish;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.heads.HeadStateFile;
import dev.cairn.client.heads.SeenHeads;
import dev.cairn.client.input.InputOpener;
import dev.cairn.client.input.SchemaSpec;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * version keeps the head's columns and may add columns and widen types ({@link
 * SchemaEvolution}; anything else is SCHEMA_CHANGE), and the check happens before anything is
 * uploaded, as does the check for R live nodes.
 *
 * <p>{@link #append} makes the next version from the head's batches, listed again as they are
 * (no re-encoding, no upload), followed by the input's; {@link #publish} replaces them.
 * Batches written before the table gained columns or widened types keep the columns they store
 * (docs/protocol.md, 4.9).
 *
 * <p>With a head record ({@link PublishRequest#headRecord}), the writer first checks every
 * service against its own last published head and restores those behind it ({@link
 * HeadReconciler}), so a rolled-back service can never make it publish a second, different
 * version with a number it already used; the new head is recorded after it is published.
 */
public final class Publisher {
  private static final Logger LOG = Logger.getLogger(Publisher.class.getName());
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /**
   * Longest wait for the services to list enough live donors (R, or k + m): a service that just
   * restarted lists a donor only once it heartbeats again (within about 5 s plus one interval).
   * A batch that runs short of donors asks the services again until this wait, counted from its
   * start, is over ({@link ReplicaUploader}).
   */
  public static final Duration LIVE_NODES_WAIT = Duration.ofSeconds(15);
  private static final long LIVE_NODES_POLL_MS = 500;

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

  /** Appends with a connection pool of its own, closed afterwards. */
  public static PublishResult append(PublishRequest request, ProgressListener progress) {
    return append(request, progress, null);
  }

  /** Appends with a connection pool of its own and inputs opened by {@code opener}. */
  public static PublishResult append(PublishRequest request, ProgressListener progress,
      InputOpener opener) {
    try (ConnectionPool pool = new ConnectionPool(CONNECT_TIMEOUT)) {
      return new Publisher(pool, progress, opener).append(request);
    }
  }

  /**
   * Publishes {@code request}'s input as the next version, in place of the head's batches;
   * throws a CairnException naming what failed.
   */
  public PublishResult publish(PublishRequest request) {
    return publish(request, false);
  }

  /**
   * Publishes the head's batches, unchanged, followed by {@code request}'s input, as the next
   * version (the first, if the table has none); throws a CairnException naming what failed.
   */
  public PublishResult append(PublishRequest request) {
    return publish(request, true);
  }

  private PublishResult publish(PublishRequest request, boolean append) {
    long startNanos = System.nanoTime();
    MetaClient meta = new MetaClient(pool, request.metaServices(), request.callTimeout());
    meta.claimName(request.key(), request.schemaName());
    HeadStateFile record = request.headRecord() == null ? null
        : new HeadStateFile(request.headRecord());
    SeenHeads recorded = record == null ? new SeenHeads() : record.load();
    SeenHeads.TableKey key = new SeenHeads.TableKey(request.key().publicKey(),
        request.schemaName(), request.tableName());
    Optional<VerifiedHead> own = recorded.newest(key);
    HeadReconciler reconciler = new HeadReconciler(meta, request.schemaName(),
        request.tableName());
    Optional<VerifiedHead> head = reconciler.parent(own, recorded.kept(key));
    head.ifPresent(h -> checkWriter(h, request));
    long donorWaitEnd = System.nanoTime() + LIVE_NODES_WAIT.toNanos();
    DonorSet donors = DonorSet.of(awaitLiveNodes(meta, request.redundancy()), pool,
        request.callTimeout());
    // After the wait for live ones, donors listed as not live count too: one may be up and
    // not yet heard from, and an upload to one that is really down fails with its own error.
    checkEnoughLive(donors.size(), request.redundancy());
    Manifest headManifest = head.map(h -> h.signed().manifest()).orElse(null);
    if (append && headManifest != null) {
      checkSameRedundancy(headManifest, request);
    }
    TableSchema given = request.schema() == null
        ? readingSchema(request, headManifest) : SchemaSpec.parse(request.schema());
    TableSchema schema;
    List<BatchRef> batches = new ArrayList<>();
    long uploadedBytes;
    try (InputSequence inputs = openInputs(request, given)) {
      schema = headManifest == null ? inputs.schema()
          : SchemaEvolution.next(headManifest.schema(), inputs.schema(), request.schemaName()
              + "." + request.tableName() + " version " + headManifest.version());
      if (append && headManifest != null) {
        for (BatchRef kept : headManifest.batches()) {
          batches.add(kept.withStored(headManifest.storedSchema(kept)));
        }
      }
      progress.started(totalBytes(request.inputs()));
      BatchPipeline.Outcome outcome = new BatchPipeline(request, donors,
          () -> DonorSet.of(meta.everyNode(), pool, request.callTimeout()), donorWaitEnd,
          progress).run(inputs);
      TableSchema stored = SchemaEvolution.storedAs(schema, inputs.schema());
      outcome.batches().forEach(b -> batches.add(b.withStored(stored)));
      uploadedBytes = outcome.uploadedBytes();
    }
    SignedManifest signed = sign(request, head, schema, batches);
    MetaClient.PublishOutcome published = publishHead(meta, reconciler, head,
        recorded.kept(key), request.schemaName(), signed);
    if (record != null) {
      remember(record, request, own, signed);
    }
    publishInitialTimestamp(meta, request, signed);
    Map<InetSocketAddress, String> metaFailures = new LinkedHashMap<>();
    published.failures().forEach((service, why) -> metaFailures.put(service, why.getMessage()));
    long bytes = 0;
    long rows = 0;
    for (BatchRef batch : batches) {
      bytes += batch.byteSize();
      rows += batch.rowCount();
    }
    PublishResult result = new PublishResult(signed.manifest().version(), signed.id(),
        batches.size(), rows, bytes, uploadedBytes,
        (System.nanoTime() - startNanos) / 1e9, metaFailures);
    progress.finished(result);
    return result;
  }

  /**
   * Records {@code signed} as the writer's newest head of its table, and keeps it and the
   * previous one ({@code own}) among the recent signed versions the record holds, so that a
   * later publish can hand them to a service that missed them.
   */
  private static void remember(HeadStateFile record, PublishRequest request,
      Optional<VerifiedHead> own, SignedManifest signed) {
    byte[] claim = request.key().sign(SignatureDomain.CLAIM_NAME,
        ClaimName.signedMessage(request.schemaName()));
    SeenHeads published = new SeenHeads();
    own.ifPresent(published::keep);
    published.keep(new VerifiedHead(request.schemaName(), claim, signed));
    try {
      record.update(published);
    } catch (CairnException e) {
      // Published already; a missing record only weakens the next publish's checks.
      LOG.warning("published, but cannot update the writer's head record: " + e.getMessage());
    }
  }

  /**
   * Returns every donor the services list (live if any lists it live), asking again every half second for up to {@link
   * #LIVE_NODES_WAIT} while fewer than {@code policy} needs are listed (telling the listener
   * once); the caller then fails as before if there are still too few.
   */
  private List<NodeInfo> awaitLiveNodes(MetaClient meta, RedundancyPolicy policy) {
    int needed = policy.isErasure() ? policy.shardCount() : policy.donorsPerBatch();
    long deadline = System.nanoTime() + LIVE_NODES_WAIT.toNanos();
    long polls = LIVE_NODES_WAIT.toMillis() / LIVE_NODES_POLL_MS;
    List<NodeInfo> listed = meta.everyNode();
    for (long poll = 0; poll < polls && System.nanoTime() - deadline < 0; poll++) {
      int usable = usable(listed);
      if (usable >= needed) {
        break;
      }
      if (poll == 0) {
        progress.waitingForNodes(usable, needed);
        LOG.info("the metadata services list " + usable + " usable live storage nodes and "
            + "this publish needs " + needed + "; waiting up to "
            + LIVE_NODES_WAIT.toSeconds() + " s for more to report (a restarted service)");
      }
      try {
        Thread.sleep(LIVE_NODES_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CairnException(ErrorCode.BUSY, "interrupted while waiting for "
            + needed + " live storage nodes, found " + usable);
      }
      listed = meta.everyNode();
    }
    return listed;
  }

  /** Counts the nodes of {@code listed} that can take copies: live and not disqualified. */
  private static int usable(List<NodeInfo> listed) {
    int usable = 0;
    for (NodeInfo info : listed) {
      if (info.live() && info.standing() != NodeStanding.DISQUALIFIED) {
        usable++;
      }
    }
    return usable;
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
   * Publishes {@code signed} on every service. When every service refused it and one of them
   * as stale (a service that came back, behind the parent, after the writer reconciled the
   * services: the soak's "parent ... is not the head"), brings the services behind the parent
   * up to it once more ({@link HeadReconciler}) and publishes again.
   */
  private static MetaClient.PublishOutcome publishHead(MetaClient meta,
      HeadReconciler reconciler, Optional<VerifiedHead> parent, List<VerifiedHead> kept,
      String schema, SignedManifest signed) {
    try {
      return meta.publishHead(schema, signed);
    } catch (CairnException e) {
      if (parent.isEmpty() || !refusedAsStale(e)) {
        throw e;
      }
      LOG.info("every metadata service refused " + schema + "." + signed.manifest().tableName()
          + " version " + signed.manifest().version() + ", one as behind its parent;"
          + " restoring the parent there and publishing again: " + e.getMessage());
      reconciler.parent(parent, kept);
      return meta.publishHead(schema, signed);
    }
  }

  /** Returns whether {@code e}, a failure on every service, has a STALE_VERSION among them. */
  private static boolean refusedAsStale(CairnException e) {
    if (e.code() == ErrorCode.STALE_VERSION) {
      return true;
    }
    for (Throwable other : e.getSuppressed()) {
      if (other instanceof CairnException c && c.code() == ErrorCode.STALE_VERSION) {
        return true;
      }
    }
    return false;
  }

  /** Throws unless {@code live} nodes can take {@code policy}'s copies or shards. */
  private static void checkEnoughLive(int live, RedundancyPolicy policy) {
    if (policy.isErasure() && live < policy.shardCount()) {
      // Not a passing state to wait out like BUSY: k + m must fit the network's width.
      throw new CairnException(ErrorCode.BAD_CONFIG, "erasure coding "
          + policy.dataShards() + "+" + policy.parityShards() + " needs "
          + policy.shardCount() + " live storage nodes, one per shard; found " + live
          + ": choose k + m of at most " + live);
    }
    if (live < policy.donorsPerBatch()) {
      throw new CairnException(ErrorCode.BUSY, "need " + policy.donorsPerBatch()
          + " live storage nodes, found " + live);
    }
  }

  private static SignedManifest sign(PublishRequest request, Optional<VerifiedHead> head,
      TableSchema schema, List<BatchRef> batches) {
    long version = head.map(h -> h.version() + 1).orElse(1L);
    ContentId parent = head.map(VerifiedHead::id).orElse(null);
    Manifest manifest = new Manifest(request.tableName(), request.key().publicKey(), version,
        parent, System.currentTimeMillis(), request.refreshEvery().toMillis(), schema,
        request.redundancy(), batches);
    return ManifestCodec.sign(manifest, request.key());
  }

  private InputSequence openInputs(PublishRequest request, TableSchema given) {
    InputOpener inputOpener = opener != null ? opener : InputOpener.builtIn(request.delimiter());
    return new InputSequence(request.inputs(), inputOpener, given,
        (int) Math.min(Integer.MAX_VALUE / 2, request.batchTargetBytes()));
  }

  /**
   * Returns the schema to read input without an explicit schema with: none for a new table
   * (inferred); else the head's columns where the input names them, inferred ones for the
   * rest ({@link SchemaEvolution#readingSchema}). Only the first file's header and sample are
   * read for this.
   */
  private TableSchema readingSchema(PublishRequest request, Manifest head) {
    if (head == null) {
      return null;
    }
    try (InputSequence sample = openInputs(request, null)) {
      return SchemaEvolution.readingSchema(head.schema(), sample.schema());
    }
  }

  /**
   * Refuses an append whose redundancy the kept batches cannot have: erasure-coded batches keep
   * their k + m shards, and replicated ones cannot become stripes (a new replica count is
   * fine: repair moves the copies).
   */
  private static void checkSameRedundancy(Manifest head, PublishRequest request) {
    RedundancyPolicy kept = head.redundancy();
    RedundancyPolicy asked = request.redundancy();
    if (kept.isErasure() != asked.isErasure() || (kept.isErasure() && !kept.equals(asked))) {
      throw new CairnException(ErrorCode.BAD_CONFIG, "--append keeps the batches of "
          + request.schemaName() + "." + request.tableName() + " version " + head.version()
          + ", stored as " + kept + ", so the new version cannot be " + asked
          + "; publish with that redundancy, or without --append");
    }
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
