package dev.cairn.meta;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.DataFormat;
import dev.cairn.wire.DirectoryLock;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.crypto.KeyFiles;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.rpc.RpcServer;
import dev.cairn.wire.status.StatusEndpoint;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A running metadata service: table heads with history (durable, in {@code heads.log}), the
 * node registry (in memory, rebuilt from heartbeats; the nodes themselves also in {@code
 * nodes.txt}) and placement, served over the Cairn
 * protocol, plus a pull loop per configured peer service and the {@link Auditor} that
 * challenges storage nodes on the {@link AuditSchedule}.
 *
 * <pre>
 * try (MetadataService service = MetadataService.start(MetadataServiceConfig.of(
 *     "0.0.0.0", 7460, Path.of("/var/lib/cairn-meta")))) {
 *   service.runUntilShutdown();
 * }
 * </pre>
 *
 * <p>The data directory holds {@code lock} ({@link DirectoryLock}: one service per directory),
 * {@code format} ({@link DataFormat}: checked before anything else is read),
 * {@code node.key}, the service's Ed25519 identity (created on first start, reused after; sent
 * in HELLO), {@code heads.log}, {@code reputation.txt} ({@link ReputationFile}: audit
 * reputations, so a restart neither forgives nor forgets) and {@code nodes.txt} ({@link
 * KnownNodesFile}: the donors heard from, listed as not live after a restart until they
 * heartbeat).
 */
public final class MetadataService implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(MetadataService.class.getName());
  /** Name of the identity key file in the data directory. */
  public static final String NODE_KEY_FILE = "node.key";
  /** Name of the head log in the data directory. */
  public static final String HEAD_LOG_FILE = "heads.log";
  /** Most threads pulling from peers at once. */
  private static final int SYNC_THREADS_MAX = 4;
  /** Longest wait at SIGTERM for requests in flight to finish. */
  public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  private final DirectoryLock dataLock;
  private final SigningKey nodeKey;
  private final TableRegistry tables;
  private final NodeRegistry nodes;
  private final RpcServer server;
  private final EventLoopGroup peerGroup;
  private final ScheduledThreadPoolExecutor syncExecutor;
  private final List<PeerSync> peers;
  private final Auditor auditor;
  private final ScheduledThreadPoolExecutor auditExecutor;
  private final ContributionLedger ledger;
  private final AuditCounters auditCounters;
  private final KnownNodesSaver knownNodes;
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  /** The metrics endpoint and status page, or null when the config asks for none. */
  private volatile StatusEndpoint status;

  private MetadataService(DirectoryLock dataLock, SigningKey nodeKey, TableRegistry tables,
      NodeRegistry nodes, RpcServer server, EventLoopGroup peerGroup,
      ScheduledThreadPoolExecutor syncExecutor, List<PeerSync> peers, Auditor auditor,
      ScheduledThreadPoolExecutor auditExecutor, AuditCounters auditCounters,
      ContributionLedger ledger, KnownNodesSaver knownNodes) {
    this.ledger = ledger;
    this.knownNodes = knownNodes;
    this.dataLock = dataLock;
    this.nodeKey = nodeKey;
    this.tables = tables;
    this.nodes = nodes;
    this.server = server;
    this.peerGroup = peerGroup;
    this.syncExecutor = syncExecutor;
    this.peers = peers;
    this.auditor = auditor;
    this.auditExecutor = auditExecutor;
    this.auditCounters = auditCounters;
  }

  /**
   * Locks and opens the data directory, replays the head log, binds the port and starts
   * syncing. IO_ERROR when another service runs on the directory or the port is taken.
   */
  public static MetadataService start(MetadataServiceConfig config) {
    requireNonNull(config, "config");
    DirectoryLock lock = DirectoryLock.acquire(config.dataDir(),
        "cairn meta (metadata service)");
    try {
      return startLocked(config, lock);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static MetadataService startLocked(MetadataServiceConfig config, DirectoryLock lock) {
    DataFormat.checkOrCreate(config.dataDir(), DataFormat.Kind.METADATA_SERVICE);
    SigningKey key = loadOrCreateKey(config.dataDir());
    TableRegistry tables = TableRegistry.open(config.dataDir().resolve(HEAD_LOG_FILE));
    ReputationFile reputationFile = new ReputationFile(config.dataDir());
    KnownNodesFile knownNodesFile = new KnownNodesFile(config.dataDir());
    AuditCounters counters = new AuditCounters();
    NodeRegistry nodes;
    try {
      nodes = new NodeRegistry(config.deadAfter(), System::nanoTime, reputationFile.load(),
          counters);
      long nowMillis = System.currentTimeMillis();
      nodes.restore(knownNodesFile.load(nowMillis), nowMillis);
    } catch (java.io.UncheckedIOException e) {
      tables.close();
      throw new CairnException(ErrorCode.IO_ERROR, e.getMessage(), e);
    }
    ContributionLedger ledger = new ContributionLedger(config.ledger(), config.dataDir());
    try {
      ledger.load();
    } catch (java.io.UncheckedIOException e) {
      tables.close();
      throw new CairnException(ErrorCode.IO_ERROR, e.getMessage(), e);
    }
    Hello hello = new Hello(PeerRole.METADATA_SERVICE, key.publicKey().toBytes());
    RpcServer server;
    try {
      server = RpcServer.start(config.host(), config.port(), hello,
          new MetaRequestHandler(tables, nodes, new ForgetOrders(key.publicKey()),
              ledger),
          RpcServer.Options.defaults()
              .withConnections(config.connectionsMax(), config.connectionsPerAddressMax()));
    } catch (InterruptedException e) {
      tables.close();
      Thread.currentThread().interrupt();
      throw new CairnException(ErrorCode.INTERNAL, "interrupted while starting");
    } catch (RuntimeException e) {
      tables.close();
      throw new CairnException(ErrorCode.IO_ERROR, "cannot listen on " + config.host() + ":"
          + config.port() + ": " + e.getMessage(), e);
    }
    EventLoopGroup peerGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(
        Math.max(1, Math.min(SYNC_THREADS_MAX, config.peers().size())), runnable -> {
          Thread thread = new Thread(runnable, "cairn-meta-sync");
          thread.setDaemon(true);
          return thread;
        });
    List<PeerSync> peers = new ArrayList<>();
    long intervalMs = config.gossipInterval().toMillis();
    for (InetSocketAddress address : config.peers()) {
      PeerSync sync = new PeerSync(address, hello, peerGroup, tables, config.gossipInterval());
      peers.add(sync);
      executor.scheduleWithFixedDelay(sync::tick, 0, intervalMs, TimeUnit.MILLISECONDS);
    }
    Auditor auditor = new Auditor(nodes, tables, config.audit(), hello, peerGroup,
        reputationFile, counters, ledger, key);
    ScheduledThreadPoolExecutor auditExecutor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "cairn-meta-audit-schedule");
      thread.setDaemon(true);
      return thread;
    });
    AuditSchedule audit = config.audit();
    if (audit.scheduled()) {
      // The first round waits a full interval: nodes have just started heartbeating.
      auditExecutor.scheduleWithFixedDelay(auditor::scheduledRound, audit.interval().toMillis(),
          audit.interval().toMillis(), TimeUnit.MILLISECONDS);
      auditExecutor.scheduleWithFixedDelay(auditor::scheduledHints,
          audit.hintDelay().toMillis(), audit.hintDelay().toMillis(), TimeUnit.MILLISECONDS);
    }
    scheduleAccrual(auditExecutor, ledger, nodes, tables);
    KnownNodesSaver knownNodes = new KnownNodesSaver(nodes, knownNodesFile);
    auditExecutor.scheduleWithFixedDelay(knownNodes::saveIfDue,
        KnownNodesSaver.CHECK_EVERY.toMillis(), KnownNodesSaver.CHECK_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    LOG.info("metadata service " + key.publicKey().fingerprint() + " listening on "
        + server.address() + "; settings: " + config.describe());
    MetadataService service = new MetadataService(lock, key, tables, nodes, server, peerGroup,
        executor, peers, auditor, auditExecutor, counters, ledger, knownNodes);
    service.startStatus(config.metrics());
    return service;
  }

  /**
   * Adds credit every accrual interval for the audited bytes each node holds, measured on the
   * monotonic clock, and saves the ledger when it changed.
   */
  private static void scheduleAccrual(ScheduledThreadPoolExecutor executor,
      ContributionLedger ledger, NodeRegistry nodes, TableRegistry tables) {
    long intervalMillis = ledger.settings().accrualInterval().toMillis();
    long[] last = {System.nanoTime()};
    executor.scheduleWithFixedDelay(() -> {
      try {
        long now = System.nanoTime();
        long elapsedMillis = (now - last[0]) / 1_000_000;
        last[0] = now;
        ledger.accrue(nodes.auditedBytes(tables::auditable), elapsedMillis);
        ledger.save();
      } catch (RuntimeException e) {
        LOG.log(java.util.logging.Level.WARNING, "ledger accrual failed", e);
      }
    }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /** Serves metrics and the status page when {@code address} is set; see StatusEndpoint. */
  private void startStatus(HostPort address) {
    if (address == null) {
      return;
    }
    try {
      status = StatusEndpoint.start(server, "dev.cairn.meta", address,
          metrics -> MetaMeters.bind(nodes, tables, auditCounters(), metrics),
          (throughput, events) -> MetaPage.render(this, MetaOverview.take(nodes, tables),
              throughput, events));
      LOG.info("metadata service metrics at http://" + HostPort.format(status.address())
          + "/metrics, status page at /");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Returns the metrics endpoint's bound address, or null when it is off. */
  public InetSocketAddress metricsAddress() {
    StatusEndpoint current = status;
    return current == null ? null : current.address();
  }

  /** Reads the identity key, or creates the directory and a fresh key on first start. */
  static SigningKey loadOrCreateKey(Path dataDir) {
    return KeyFiles.readOrCreateSecretKey(dataDir.resolve(NODE_KEY_FILE));
  }

  /** Returns the protocol server, e.g. to read its admission counters. */
  public RpcServer rpcServer() {
    return server;
  }

  /** Returns the address the service listens on (the real port if 0 was configured). */
  public InetSocketAddress address() {
    return server.address();
  }

  /** Returns how many storage nodes count as live now. */
  public int liveNodeCount() {
    return (int) nodes.nodes().stream().filter(n -> n.live()).count();
  }

  /**
   * Runs one audit round now and returns when every challenge has an outcome: queued report
   * hints first, then one random chunk of one claimed blob per live node. For tests and
   * tools; the schedule runs the same rounds on its own.
   */
  public void auditOnce() throws InterruptedException {
    auditor.auditOnce();
  }

  /**
   * Returns node {@code key}'s contribution ledger entry as GET_LEDGER answers it (protocol.md
   * 9.9), for tests and tools.
   */
  public dev.cairn.wire.message.LedgerMessages.LedgerEntry ledgerEntry(PublicKey key) {
    return ledger.entry(key, nodes);
  }

  /**
   * Returns how many shards named by manifests held here are larger than an auditor reads
   * whole ({@link dev.cairn.wire.erasure.Stripe#AUDITED_SHARD_BYTES_MAX}) and so are never
   * audited: only another writer's publisher makes them (docs/protocol.md 4.8, "Audits").
   */
  public int unauditableShardCount() {
    return tables.unauditableShardCount();
  }

  /** Returns the audit totals since the service started. */
  public AuditCounters auditCounters() {
    return auditCounters;
  }

  /** Returns the public key this service announces in its HELLO. */
  public PublicKey nodeKey() {
    return nodeKey.publicKey();
  }

  /**
   * Blocks until the service is closed, by {@link #close} or by the JVM shutting down (Ctrl-C,
   * SIGTERM), in which case a shutdown hook closes it cleanly first.
   */
  public void runUntilShutdown() throws InterruptedException {
    Thread hook = new Thread(() -> shutdown(SHUTDOWN_GRACE), "cairn-meta-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      closedLatch.await();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook is running, nothing to remove
      }
    }
  }

  /**
   * Stops syncing, closes the port and the head log. Idempotent. Requests still running lose
   * their connection ({@link #shutdown}).
   */
  @Override
  public void close() {
    shutdown(Duration.ZERO);
  }

  /**
   * Stops like {@link #close}, but first stops accepting and lets the requests already running
   * finish and their replies go out, for at most {@code grace} (new requests meanwhile get
   * BUSY), and logs one line saying so. A SIGTERM ends here ({@link #SHUTDOWN_GRACE}).
   */
  public synchronized void shutdown(Duration grace) {
    if (closedLatch.getCount() == 0) {
      return;
    }
    if (status != null) {
      status.close();
    }
    int abandoned = server.close(grace);
    syncExecutor.shutdownNow();
    auditExecutor.shutdownNow();
    auditor.close();
    knownNodes.saveNow();
    ledger.save();
    peers.forEach(PeerSync::close);
    try {
      syncExecutor.awaitTermination(PeerSync.CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
      auditExecutor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    peerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    tables.close();
    dataLock.close();
    // Logged before the latch opens: the waiting main thread may exit the JVM right after.
    LOG.info("metadata service " + nodeKey.publicKey().fingerprint() + " stopped: "
        + (abandoned == 0 ? "every request in flight finished"
            : abandoned + " requests still running after " + grace.toMillis() + " ms cut off")
        + ", head log closed");
    closedLatch.countDown();
  }
}
