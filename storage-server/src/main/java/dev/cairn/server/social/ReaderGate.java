package dev.cairn.server.social;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.Units;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.message.LedgerMessages;
import dev.cairn.wire.message.LedgerMessages.LedgerEntry;
import dev.cairn.wire.message.LedgerMessages.LedgerResult;
import dev.cairn.wire.message.LedgerMessages.Receipt;
import dev.cairn.wire.message.NodeStanding;
import dev.cairn.wire.rpc.Responder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The donor's side of the social contract (docs/operations.md, "Join the network"): before a
 * blob or chunk is served it asks {@link #check} whether the {@link ReaderPolicy} admits the
 * connection's reader, and after it tells {@link #served} how many bytes went to it; every
 * receipt interval it signs one receipt per identified reader for the bytes served since the
 * last and sends it to its metadata services, which debit the reader.
 *
 * <p>Who is who comes only from IDENTIFY (a HELLO key alone is a claim): an anonymous
 * connection is no member. A connection that proves the key of a storage node in good
 * standing (repair pulls, peer audits) or of a metadata service this donor reports to (its
 * audits) is peer traffic: never refused, never receipted; so is a node reading from its own
 * donor (a member's shell on the machine that gives the space). Readers' ledger entries are
 * cached for {@link #LEDGER_CACHE_TTL}. When no metadata service answers, readers are
 * served: the policy is about fairness, and an outage of the ledger must not stop reads.
 */
public final class ReaderGate implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ReaderGate.class.getName());
  /** How long a reader's ledger entry is used before it is asked for again. */
  public static final Duration LEDGER_CACHE_TTL = Duration.ofSeconds(2);
  /** Most readers with bytes not yet receipted, and most cached ledger entries. */
  static final int READERS_MAX = 10_000;

  private record Cached(LedgerEntry entry, long allowanceBytes, long fetchedNanos) {}

  private final ReaderPolicy policy;
  private final SigningKey nodeKey;
  private final LedgerLink link;
  private final Duration receiptInterval;
  private final Map<PublicKey, Cached> cache = new ConcurrentHashMap<>();
  private final Map<PublicKey, Long> unreceipted = new HashMap<>();
  private final AtomicLong nextSerial = new AtomicLong(System.currentTimeMillis() * 1_000);
  private final AtomicLong receiptsSent = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
      runnable -> {
        Thread thread = new Thread(runnable, "cairn-donor-receipts");
        thread.setDaemon(true);
        return thread;
      });
  private volatile boolean ledgerDownLogged;

  /** Creates the gate; {@link #start} begins sending receipts. */
  public ReaderGate(ReaderPolicy policy, List<InetSocketAddress> metaServices,
      SigningKey nodeKey, Duration receiptInterval) {
    this.policy = requireNonNull(policy, "policy");
    this.nodeKey = requireNonNull(nodeKey, "nodeKey");
    this.link = new LedgerLink(metaServices, nodeKey);
    this.receiptInterval = requireNonNull(receiptInterval, "receiptInterval");
  }

  /** Starts sending receipts every receipt interval. */
  public void start() {
    long millis = receiptInterval.toMillis();
    scheduler.scheduleWithFixedDelay(this::sendReceiptsQuietly, millis, millis,
        TimeUnit.MILLISECONDS);
  }

  public ReaderPolicy policy() {
    return policy;
  }

  /** Returns receipts the metadata services took since start. */
  public long receiptsSent() {
    return receiptsSent.get();
  }

  /** Returns reads refused by the policy since start. */
  public long refusals() {
    return refusals.get();
  }

  /**
   * Throws NOT_A_CONTRIBUTOR, naming why, unless the policy admits the connection behind
   * {@code responder} to read blobs; peer traffic is always admitted (see the class comment).
   */
  public void check(Responder responder) {
    if (policy.kind() == ReaderPolicy.Kind.ANY) {
      return;
    }
    byte[] proven = responder.provenKey();
    if (proven == null) {
      throw refuse("anonymous readers are not served by this donor (readers " + policy
          + "); set node.key in the JDBC URL to a member's key, or run 'cairn join' to give "
          + "space");
    }
    PublicKey reader = PublicKey.fromBytes(proven);
    Hello peer = responder.peer();
    if (reader.equals(nodeKey.publicKey()) || isPeerTraffic(peer.role(), reader)) {
      return;
    }
    Cached cached = lookup(reader);
    if (cached == null) {
      return; // no metadata service answers: serve rather than stop every read
    }
    LedgerEntry entry = cached.entry();
    if (!entry.known()) {
      throw refuse("node " + reader.fingerprint() + " is not a member (no metadata service of "
          + "this donor knows it); run 'cairn join' to give space");
    }
    if (entry.standing() == NodeStanding.DISQUALIFIED) {
      throw refuse("node " + reader.fingerprint() + " is disqualified by its audits, so its "
          + "credit is void; fix its storage, or run 'cairn join' with a new node");
    }
    if (policy.kind() == ReaderPolicy.Kind.CONTRIBUTORS) {
      checkRatio(reader, cached);
    }
  }

  private void checkRatio(PublicKey reader, Cached cached) {
    long debit = cached.entry().debitBytes() + pending(reader);
    double credit = (double) cached.entry().creditBytes() + cached.allowanceBytes();
    if (debit > 0 && credit < policy.ratio() * debit) {
      throw refuse("node " + reader.fingerprint() + " has given "
          + Units.formatSize(cached.entry().creditBytes()) + " and read "
          + Units.formatSize(debit) + "; run 'cairn join' to give space (this donor serves "
          + "readers " + policy + ": credit plus the starter allowance of "
          + Units.formatSize(cached.allowanceBytes()) + " must be at least " + policy.ratio()
          + " times what was read)");
    }
  }

  private boolean isPeerTraffic(PeerRole role, PublicKey key) {
    if (role == PeerRole.METADATA_SERVICE) {
      if (!link.isService(key)) {
        lookup(key); // connects to the services, learning their keys
      }
      return link.isService(key);
    }
    if (role == PeerRole.STORAGE_NODE) {
      Cached cached = lookup(key);
      return cached == null || cached.entry().known()
          && cached.entry().standing() != NodeStanding.DISQUALIFIED;
    }
    return false;
  }

  private CairnException refuse(String why) {
    refusals.incrementAndGet();
    return new CairnException(ErrorCode.NOT_A_CONTRIBUTOR, why);
  }

  /** Returns {@code key}'s ledger entry, cached, or null when no metadata service answers. */
  private Cached lookup(PublicKey key) {
    long now = System.nanoTime();
    Cached cached = cache.get(key);
    if (cached != null && now - cached.fetchedNanos() < LEDGER_CACHE_TTL.toNanos()) {
      return cached;
    }
    try {
      LedgerResult result = link.ledger(List.of(key));
      ledgerDownLogged = false;
      if (cache.size() >= READERS_MAX) {
        cache.clear();
      }
      Cached fresh = new Cached(result.entries().get(0), result.starterAllowanceBytes(), now);
      cache.put(key, fresh);
      return fresh;
    } catch (CairnException e) {
      if (!ledgerDownLogged) {
        ledgerDownLogged = true;
        LOG.warning("no metadata service answers for readers' ledgers (" + e.getMessage()
            + "); serving readers without the policy until one does");
      }
      return null;
    }
  }

  /**
   * Counts {@code bytes} served to the connection behind {@code responder} for its next
   * receipt, if it is an identified reader (not peer traffic, not anonymous).
   */
  public void served(Responder responder, long bytes) {
    byte[] proven = responder.provenKey();
    if (proven == null || bytes <= 0 || responder.peer().role() != PeerRole.CLIENT) {
      return;
    }
    PublicKey reader = PublicKey.fromBytes(proven);
    if (reader.equals(nodeKey.publicKey())) {
      return; // a node reading its own disk costs the network nothing
    }
    synchronized (unreceipted) {
      if (unreceipted.size() < READERS_MAX || unreceipted.containsKey(reader)) {
        unreceipted.merge(reader, bytes, Long::sum);
      }
    }
  }

  private long pending(PublicKey reader) {
    synchronized (unreceipted) {
      return unreceipted.getOrDefault(reader, 0L);
    }
  }

  /** Sends the receipts still due before the donor stops, so no served byte goes unrecorded. */
  public void sendReceiptsQuietlyOnClose() {
    sendReceiptsQuietly();
  }

  private void sendReceiptsQuietly() {
    try {
      sendReceipts();
    } catch (RuntimeException e) {
      LOG.warning("sending receipts failed: " + e);
    }
  }

  /**
   * Signs and sends one receipt per reader for the bytes served since the last receipt; a
   * receipt no service could be reached for is counted again next time.
   */
  public void sendReceipts() {
    Map<PublicKey, Long> due;
    synchronized (unreceipted) {
      due = new HashMap<>(unreceipted);
      unreceipted.clear();
    }
    if (link.serviceCount() == 0) {
      return; // nobody keeps a ledger for this donor
    }
    byte[] donor = nodeKey.publicKey().toBytes();
    due.forEach((reader, bytes) -> {
      long counted = Math.min(bytes, LedgerMessages.RECEIPT_BYTES_MAX);
      long serial = nextSerial.incrementAndGet();
      long now = System.currentTimeMillis();
      byte[] readerKey = reader.toBytes();
      byte[] signature = nodeKey.sign(SignatureDomain.RECEIPT,
          Receipt.signedMessage(donor, readerKey, serial, counted, now));
      List<CairnException> errors = link.send(
          new Receipt(donor, readerKey, serial, counted, now, signature));
      boolean reachedNone = errors.size() == link.serviceCount()
          && errors.stream().noneMatch(e -> e.code() == ErrorCode.BAD_RECEIPT);
      long keep = bytes - counted + (reachedNone ? counted : 0);
      if (keep > 0) {
        synchronized (unreceipted) {
          unreceipted.merge(reader, keep, Long::sum);
        }
      }
      if (errors.size() < link.serviceCount()) {
        receiptsSent.incrementAndGet();
      }
      errors.stream().filter(e -> e.code() == ErrorCode.BAD_RECEIPT).forEach(e ->
          LOG.warning("a metadata service refused a receipt for reader " + reader.fingerprint()
              + ": " + e.getMessage()));
    });
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    link.close();
  }
}
