package dev.cairn.server;

import static java.util.Objects.requireNonNull;

import dev.cairn.server.heal.AntiEntropy;
import dev.cairn.server.heal.BlobSink;
import dev.cairn.server.heal.HealCounters;
import dev.cairn.server.heal.Scrubber;
import dev.cairn.server.social.ReaderGate;
import dev.cairn.server.status.DonorStatus;
import dev.cairn.server.store.BlobStore;
import dev.cairn.server.store.QuotaLedger;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.DataFormat;
import dev.cairn.wire.DirectoryLock;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.Units;
import dev.cairn.wire.Zone;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.message.BlobMessages.StatsResult;
import dev.cairn.wire.rpc.RpcServer;
import dev.cairn.wire.status.StatusEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A running donor: the blob store, the quota ledger, the protocol server and the heartbeats
 * to metadata services, started together by {@link #start} and stopped together by {@link
 * #close}.
 *
 * <p>Data directory layout: {@code lock} ({@link DirectoryLock}: one donor per directory),
 * {@code format} ({@link DataFormat}: checked before anything else is read), {@code
 * node.key} (the node's identity, {@link NodeIdentity}), {@code ledger.log} (per-key
 * charges, {@link QuotaLedger}) and {@code store/} ({@link BlobStore}). Everything there
 * survives a restart; counters do not.
 *
 * <p>There is no {@code main} here: the CLI builds a {@link StorageServerConfig} from flags
 * and calls {@link #start} then {@link #runUntilShutdown}.
 */
public final class StorageServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StorageServer.class.getName());
  /** Workers that run requests (disk reads and fsyncs block, so more than the cores). */
  static final int WORKER_THREADS = 16;
  /** Longest wait at SIGTERM for requests in flight (a 64 MiB GET at 20 MiB/s takes 3 s). */
  public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  private final StorageServerConfig config;
  /** The failure domain sent in heartbeats: the configured zone or its default. */
  private final String zone;
  private final DirectoryLock dataLock;
  private final SigningKey nodeKey;
  private final BlobStore store;
  private final QuotaLedger ledger;
  private final ServerCounters counters;
  private final BlobRequestHandler handler;
  private final RpcServer rpcServer;
  private final MetaHeartbeater heartbeater;
  private final HealCounters healCounters;
  private final AntiEntropy antiEntropy;
  private final Scrubber scrubber;
  /** The reader policy and the receipts of bytes served to identified readers. */
  private final ReaderGate gate;
  /** The metrics endpoint and status page, or null when the config asks for none. */
  private volatile StatusEndpoint status;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private StorageServer(StorageServerConfig config, String zone, DirectoryLock dataLock,
      SigningKey nodeKey,
      BlobStore store,
      QuotaLedger ledger, ServerCounters counters, BlobRequestHandler handler,
      RpcServer rpcServer, MetaHeartbeater heartbeater, HealCounters healCounters,
      AntiEntropy antiEntropy, Scrubber scrubber, ReaderGate gate) {
    this.gate = gate;
    this.config = config;
    this.zone = zone;
    this.dataLock = dataLock;
    this.nodeKey = nodeKey;
    this.store = store;
    this.ledger = ledger;
    this.counters = counters;
    this.handler = handler;
    this.rpcServer = rpcServer;
    this.heartbeater = heartbeater;
    this.healCounters = healCounters;
    this.antiEntropy = antiEntropy;
    this.scrubber = scrubber;
  }

  /**
   * Opens the data directory (creating it and the node key on first start), binds the port and
   * starts the heartbeats. Failures are CairnExceptions naming what went wrong (IO_ERROR for an
   * unusable directory or port, or a directory another donor runs on; BAD_FORMAT for a
   * damaged key file).
   */
  public static StorageServer start(StorageServerConfig config) {
    requireNonNull(config, "config");
    Path data = config.dataDirectory();
    DirectoryLock lock = DirectoryLock.acquire(data, "cairn server (donor)");
    BlobStore store = null;
    QuotaLedger ledger = null;
    RpcServer rpc = null;
    ReaderGate gate = null;
    try {
      DataFormat.checkOrCreate(data, DataFormat.Kind.DONOR);
      SigningKey nodeKey = NodeIdentity.loadOrCreate(data);
      store = BlobStore.open(data.resolve("store"), capacityBytes(config));
      warnIfDiskSmaller(config, store);
      ledger = QuotaLedger.open(data, new QuotaLedger.Policy(config.defaultQuotaBytes(),
          config.quotaBytesByKey()));
      ServerCounters counters = new ServerCounters();
      gate = new ReaderGate(config.readers(), config.metaServices(), nodeKey,
          config.heartbeatInterval());
      BlobRequestHandler handler = new BlobRequestHandler(store, ledger, nodeKey.publicKey(),
          config.quotaBytesByKey(), counters, gate);
      rpc = RpcServer.start(config.listenHost(), config.listenPort(),
          new Hello(PeerRole.STORAGE_NODE, nodeKey.publicKey().toBytes()), handler,
          new RpcServer.Options(config.connectionsMax(), config.uploadBytesPerSecond(),
              config.downloadBytesPerSecond(), WORKER_THREADS)
              .withConnections(config.connectionsMax(), config.connectionsPerAddressMax()));
      String advertised = advertisedAddress(config, rpc.address());
      String zone = config.zone() != null ? config.zone()
          : Zone.defaultFor(HostPort.parse(advertised));
      MetaHeartbeater heartbeater = new MetaHeartbeater(config.metaServices(), nodeKey,
          advertised, zone, store, config.heartbeatInterval());
      HealCounters healCounters = new HealCounters();
      AntiEntropy antiEntropy = new AntiEntropy(config.metaServices(), nodeKey, store,
          sinkOf(handler), config.heal(), healCounters, rpc.shaper());
      store.setLossListener(lossListener(ledger, healCounters, antiEntropy));
      Scrubber scrubber = new Scrubber(store, config.heal(), healCounters);
      StorageServer server = new StorageServer(config, zone, lock, nodeKey, store, ledger, counters,
          handler, rpc, heartbeater, healCounters, antiEntropy, scrubber, gate);
      heartbeater.start();
      gate.start();
      antiEntropy.start();
      scrubber.start();
      try {
        server.startStatus();
      } catch (RuntimeException e) {
        server.close(); // stops all of the above, the port and the ledger included
        rpc = null;
        ledger = null;
        throw e;
      }
      LOG.info("donor " + nodeKey.publicKey().fingerprint() + " serving on " + rpc.address()
          + " (advertised " + advertised + "), " + store.count() + " blobs held; settings: "
          + config.describe(store.capacityBytes(), zone));
      return server;
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      closeQuietly(rpc, ledger);
      if (gate != null) {
        gate.close();
      }
      lock.close();
      if (e instanceof CairnException cairn) {
        throw cairn;
      }
      throw new CairnException(ErrorCode.IO_ERROR, "cannot start storage server on "
          + config.listenHost() + ":" + config.listenPort() + " with data in " + data + ": "
          + e, e);
    }
  }

  /** Serves metrics and the status page when the config names an address; see DonorStatus. */
  private void startStatus() {
    if (config.metrics() == null) {
      return;
    }
    status = DonorStatus.start(this, config.metrics());
    LOG.info("donor metrics at http://" + HostPort.format(status.address()) + "/metrics, "
        + "status page at /");
  }

  /** Returns the metrics endpoint's bound address, or null when it is off. */
  public InetSocketAddress metricsAddress() {
    StatusEndpoint current = status;
    return current == null ? null : current.address();
  }

  /**
   * Returns, per metadata service, how long ago it last accepted a heartbeat (negative: never
   * since start).
   */
  public java.util.Map<String, java.time.Duration> heartbeatAges() {
    return heartbeater.heartbeatAges();
  }

  private static BlobSink sinkOf(BlobRequestHandler handler) {
    return new BlobSink() {
      @Override
      public boolean store(String writer, ContentId id, ByteBuffer data) throws IOException {
        return handler.storeCharged(writer, id, data);
      }

      @Override
      public boolean drop(ContentId id) throws IOException {
        return handler.dropCharged(id);
      }

      @Override
      public boolean dropOrphan(ContentId id, long cutoffMillis) throws IOException {
        return handler.dropOrphan(id, cutoffMillis);
      }
    };
  }

  /**
   * Returns what happens when the store loses a blob (file gone, truncated or rewritten): it is
   * counted, its ledger charges are released (the donor no longer gives that space; a re-pull
   * charges again) and anti-entropy runs soon to pull a good copy if this node is a target.
   */
  private static BlobStore.LossListener lossListener(QuotaLedger ledger, HealCounters counters,
      AntiEntropy antiEntropy) {
    return (id, sizeBytes, loss) -> {
      if (loss == BlobStore.Loss.CORRUPT) {
        counters.corrupt();
      } else {
        counters.vanished();
      }
      try {
        ledger.release(id, sizeBytes);
      } catch (IOException e) {
        LOG.warning("cannot release the ledger charge of lost blob " + id.toShortHex() + ": "
            + e);
      }
      antiEntropy.runSoon();
    };
  }

  private static void closeQuietly(RpcServer rpc, QuotaLedger ledger) {
    if (rpc != null) {
      rpc.close();
    }
    if (ledger != null) {
      try {
        ledger.close();
      } catch (IOException ignored) {
        // The start failure being reported matters more.
      }
    }
  }

  /**
   * Logs a WARNING when the configured capacity is more than the disk can take (free space plus
   * what the store already holds): uploads would then fail with IO_ERROR when the disk fills,
   * not with CAPACITY_FULL, and placement would count space that does not exist.
   */
  private static void warnIfDiskSmaller(StorageServerConfig config, BlobStore store)
      throws IOException {
    if (config.capacityBytes() == StorageServerConfig.CAPACITY_AUTO) {
      return; // automatic capacity is at most what the disk has
    }
    long free = Files.getFileStore(store.root()).getUsableSpace();
    long room = free + store.usedBytes();
    if (config.capacityBytes() > room) {
      LOG.warning("capacity " + Units.formatSize(config.capacityBytes()) + " is more than the "
          + "disk under " + config.dataDirectory() + " can take (" + Units.formatSize(free)
          + " free + " + Units.formatSize(store.usedBytes()) + " held); uploads will fail "
          + "with IO_ERROR once the disk is full. Lower 'capacity' or free space.");
    }
  }

  /**
   * Returns the configured capacity, or for {@link StorageServerConfig#CAPACITY_AUTO}
   * min(10 GiB, free disk space + bytes the store already holds): what is held counts as
   * given, so a restart on a fuller disk does not shrink the capacity below the holdings.
   */
  static long capacityBytes(StorageServerConfig config) throws IOException {
    if (config.capacityBytes() != StorageServerConfig.CAPACITY_AUTO) {
      return config.capacityBytes();
    }
    Path data = config.dataDirectory();
    long free = Files.getFileStore(data).getUsableSpace();
    long held = 0;
    Path blobs = data.resolve("store").resolve("blobs");
    if (Files.isDirectory(blobs)) {
      try (Stream<Path> files = Files.walk(blobs)) {
        held = files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length())
            .sum();
      }
    }
    return Math.max(1, Math.min(StorageServerConfig.DEFAULT_CAPACITY_BYTES_MAX, free + held));
  }

  private static String advertisedAddress(StorageServerConfig config, InetSocketAddress bound) {
    if (config.advertisedAddress() != null) {
      return config.advertisedAddress();
    }
    if (bound.getAddress().isAnyLocalAddress() && !config.metaServices().isEmpty()) {
      LOG.warning("listening on a wildcard address " + bound + " and advertising it: set "
          + "'advertise' to the host:port others can reach");
    }
    return new HostPort(bound.getAddress().getHostAddress(), bound.getPort()).toString();
  }

  /**
   * Blocks until {@link #close} is called, by a JVM shutdown hook (Ctrl-C, SIGTERM) that this
   * installs or by another thread.
   */
  public void runUntilShutdown() throws InterruptedException {
    Thread hook = new Thread(() -> shutdown(SHUTDOWN_GRACE), "cairn-storage-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stopped.await();
  }

  /** Returns the bound address (the real port when port 0 was configured). */
  public InetSocketAddress address() {
    return rpcServer.address();
  }

  /** Returns the node's public key, as sent in its HELLO and heartbeats. */
  public PublicKey nodeKey() {
    return nodeKey.publicKey();
  }

  /** Returns the zone this donor declares in its heartbeats (configured or default). */
  public String zone() {
    return zone;
  }

  public StorageServerConfig config() {
    return config;
  }

  public ServerCounters counters() {
    return counters;
  }

  /** Returns range bytes queued for sending since start (also in STATS). */
  public long servedBytes() {
    return counters.servedBytes();
  }

  /** Returns blob bytes accepted by PUT_BLOB since start (also in STATS). */
  public long receivedBytes() {
    return counters.receivedBytes();
  }

  public BlobStore store() {
    return store;
  }

  public QuotaLedger ledger() {
    return ledger;
  }

  /** Returns the protocol server, e.g. to inspect its traffic shaper. */
  public RpcServer rpcServer() {
    return rpcServer;
  }

  /** Returns what anti-entropy and the scrubber did since start. */
  public HealCounters healCounters() {
    return healCounters;
  }

  /** Returns the scrubber, e.g. to run a pass now ({@link Scrubber#pass}). */
  public Scrubber scrubber() {
    return scrubber;
  }

  /** Returns anti-entropy, e.g. to ask for a round now ({@link AntiEntropy#runSoon}). */
  public AntiEntropy antiEntropy() {
    return antiEntropy;
  }

  /** Returns the reader policy gate, e.g. to send receipts now. */
  public ReaderGate readerGate() {
    return gate;
  }

  /** Returns what STATS would answer now. */
  public StatsResult stats() {
    return handler.statsResult();
  }

  /**
   * Stops scrubbing, anti-entropy and heartbeats, then serving, then closes the ledger; safe
   * to call more than once. Requests still running lose their connection ({@link #shutdown}).
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
  public void shutdown(Duration grace) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (status != null) {
        status.close();
      }
      int abandoned = rpcServer.close(grace);
      scrubber.close();
      antiEntropy.close();
      heartbeater.close();
      gate.sendReceiptsQuietlyOnClose();
      gate.close();
      ledger.close();
      LOG.info("donor " + nodeKey.publicKey().fingerprint() + " stopped: "
          + (abandoned == 0 ? "every request in flight finished"
              : abandoned + " requests still running after " + grace.toMillis() + " ms cut off")
          + ", ledger closed, " + store.count() + " blobs held");
    } catch (IOException e) {
      throw new CairnException(ErrorCode.IO_ERROR, "closing the quota ledger failed: " + e, e);
    } finally {
      dataLock.close();
      stopped.countDown();
    }
  }
}
