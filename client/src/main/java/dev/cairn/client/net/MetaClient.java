package dev.cairn.client.net;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.HeadTimestamp;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.message.LedgerMessages;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import dev.cairn.wire.message.MetaMessages.ClaimName;
import dev.cairn.wire.message.MetaMessages.GetHead;
import dev.cairn.wire.message.MetaMessages.HeadOk;
import dev.cairn.wire.message.MetaMessages.Heads;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.MetaMessages.Nodes;
import dev.cairn.wire.message.MetaMessages.PlacementRequest;
import dev.cairn.wire.message.MetaMessages.PublishHead;
import dev.cairn.wire.message.MetaMessages.PublishTimestamp;
import dev.cairn.wire.message.MetaMessages.TableHead;
import dev.cairn.wire.message.MetaMessages.TimestampOk;
import dev.cairn.wire.message.MetaMessages;
import dev.cairn.wire.rpc.Calls;
import dev.cairn.wire.rpc.Exchange;
import dev.cairn.wire.rpc.Exchanges;
import dev.cairn.wire.rpc.PeerBackoff;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Talks to one or more metadata services, trusting none of them for more than liveness.
 *
 * <p>Writes (name claims, new heads) go to every service, and succeed when at least one
 * accepts. Reads of heads ask every service and keep the newest head that verifies ({@link
 * VerifiedHead#verify}); anything that does not verify is ignored and reported to the {@link
 * ProblemListener}. Two different verified heads for the newest version of a table are a
 * {@link Fork}: reported, never settled by taking the first, so the order of the services
 * never decides an answer. Reads that cannot be verified (node lists, placements) take the first
 * service that answers, so one dead service costs a timeout, never the call; except the live
 * donors a writer uploads to ({@link #liveNodes}), the union over every service, as a service
 * that just restarted knows no donor until their heartbeats arrive. Every request carries the
 * call timeout.
 */
public final class MetaClient {
  private static final Logger LOG = Logger.getLogger(MetaClient.class.getName());

  /** Told about every service that failed or answered with something that did not verify. */
  @FunctionalInterface
  public interface ProblemListener {
    void problem(InetSocketAddress service, CairnException why);
  }

  /** What a {@link #publishHead} achieved: the services that took it and those that did not. */
  public record PublishOutcome(List<InetSocketAddress> accepted,
      Map<InetSocketAddress, CairnException> failures) {
    public PublishOutcome {
      accepted = List.copyOf(accepted);
      failures = Map.copyOf(failures);
    }
  }

  private final ConnectionPool pool;
  private final List<InetSocketAddress> services;
  private final Duration callTimeout;
  /** Heads verified lately: one offered again byte for byte is not verified again. */
  private final VerifiedHeadMemo verifiedHeads = new VerifiedHeadMemo();
  /** Most rounds of asking when every service is backing off ({@link #whenAdmitted}). */
  static final int ADMISSION_ROUNDS_MAX = 20;
  private static final long ADMISSION_POLL_MS = 100;
  private final ProblemListener problems;

  /** Creates a client of {@code services}; problems are logged as warnings. */
  public MetaClient(ConnectionPool pool, List<InetSocketAddress> services, Duration callTimeout) {
    this(pool, services, callTimeout, (service, why) -> LOG.log(Level.WARNING,
        "metadata service " + HostPort.format(service) + ": " + why.getMessage()));
  }

  public MetaClient(ConnectionPool pool, List<InetSocketAddress> services, Duration callTimeout,
      ProblemListener problems) {
    this.pool = requireNonNull(pool, "pool");
    this.services = List.copyOf(services);
    if (this.services.isEmpty()) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "no metadata service address given");
    }
    this.callTimeout = requireNonNull(callTimeout, "callTimeout");
    this.problems = requireNonNull(problems, "problems");
  }

  public List<InetSocketAddress> services() {
    return services;
  }

  /**
   * Claims {@code name} for {@code key} on every service; claiming a name the key already holds
   * succeeds again. NAME_TAKEN from any service is fatal; other failures only if all fail.
   */
  public void claimName(SigningKey key, String name) {
    MetaMessages.checkSchemaName(name);
    byte[] signature = key.sign(SignatureDomain.CLAIM_NAME, ClaimName.signedMessage(name));
    ClaimName claim = new ClaimName(name, key.publicKey().toBytes(), signature);
    Map<InetSocketAddress, CompletableFuture<Boolean>> replies = fanOut(Exchanges.CLAIM_NAME,
        claim::writeTo);
    int accepted = 0;
    List<CairnException> failures = new ArrayList<>();
    for (Map.Entry<InetSocketAddress, CompletableFuture<Boolean>> reply : replies.entrySet()) {
      try {
        Calls.await(reply.getValue());
        accepted++;
      } catch (CairnException e) {
        if (e.code() == ErrorCode.NAME_TAKEN) {
          throw e;
        }
        problems.problem(reply.getKey(), e);
        failures.add(e);
      }
    }
    if (accepted == 0) {
      throw allFailed("claim name '" + name + "'", failures);
    }
  }

  /**
   * Publishes {@code signed} as the head of its table to every service. A service that answers
   * STALE_VERSION but already holds exactly this manifest as that version counts as accepted
   * (a re-run after a partial publish). Throws unless at least one service accepted.
   */
  public PublishOutcome publishHead(String schema, SignedManifest signed) {
    PublishHead request = new PublishHead(signed.encoded());
    Map<InetSocketAddress, CompletableFuture<HeadOk>> replies = fanOut(Exchanges.PUBLISH_HEAD,
        request::writeTo);
    List<InetSocketAddress> accepted = new ArrayList<>();
    Map<InetSocketAddress, CairnException> failures = new LinkedHashMap<>();
    for (Map.Entry<InetSocketAddress, CompletableFuture<HeadOk>> reply : replies.entrySet()) {
      InetSocketAddress service = reply.getKey();
      try {
        HeadOk ok = Calls.await(reply.getValue());
        if (!ok.manifestId().equals(signed.id())) {
          throw new CairnException(ErrorCode.BAD_FORMAT, "HEAD_OK names manifest "
              + ok.manifestId().toShortHex() + ", not the one sent " + signed.id().toShortHex());
        }
        accepted.add(service);
      } catch (CairnException e) {
        if (e.code() == ErrorCode.STALE_VERSION && holds(service, schema, signed)) {
          accepted.add(service);
        } else {
          problems.problem(service, e);
          failures.put(service, e);
        }
      }
    }
    if (accepted.isEmpty()) {
      throw allFailed("publish " + schema + "." + signed.manifest().tableName() + " version "
          + signed.manifest().version(), new ArrayList<>(failures.values()));
    }
    return new PublishOutcome(accepted, failures);
  }

  /**
   * Sends {@code timestamp} to every service (docs/protocol.md 9.3, PUBLISH_TIMESTAMP) and
   * returns the services that took it. A service that already holds an equal or newer one
   * answers STALE_VERSION and counts as a failure here. Throws unless one accepted.
   */
  public PublishOutcome publishTimestamp(HeadTimestamp timestamp) {
    PublishTimestamp request = new PublishTimestamp(timestamp.encoded());
    Map<InetSocketAddress, CompletableFuture<TimestampOk>> replies =
        fanOut(Exchanges.PUBLISH_TIMESTAMP, request::writeTo);
    List<InetSocketAddress> accepted = new ArrayList<>();
    Map<InetSocketAddress, CairnException> failures = new LinkedHashMap<>();
    for (Map.Entry<InetSocketAddress, CompletableFuture<TimestampOk>> reply
        : replies.entrySet()) {
      try {
        TimestampOk ok = Calls.await(reply.getValue());
        if (!ok.manifestId().equals(timestamp.manifestId())) {
          throw new CairnException(ErrorCode.BAD_FORMAT, "TIMESTAMP_OK names manifest "
              + ok.manifestId().toShortHex() + ", not " + timestamp.manifestId().toShortHex());
        }
        accepted.add(reply.getKey());
      } catch (CairnException e) {
        problems.problem(reply.getKey(), e);
        failures.put(reply.getKey(), e);
      }
    }
    if (accepted.isEmpty()) {
      throw allFailed("refresh " + timestamp.tableName() + " version " + timestamp.version(),
          new ArrayList<>(failures.values()));
    }
    return new PublishOutcome(accepted, failures);
  }

  /** Returns true if {@code service} holds exactly {@code signed} as that version. */
  private boolean holds(InetSocketAddress service, String schema, SignedManifest signed) {
    GetHead get = new GetHead(schema, signed.manifest().tableName(),
        signed.manifest().version());
    try {
      Heads heads = Calls.await(send(service, Exchanges.GET_HEAD, get::writeTo));
      for (TableHead head : heads.heads()) {
        if (ContentId.sha256(head.manifest()).equals(signed.id())) {
          return true;
        }
      }
    } catch (CairnException e) {
      problems.problem(service, e);
    }
    return false;
  }

  /**
   * Returns the newest head of {@code schema.table} that verifies among all services, or empty
   * if no service knows the table. Throws only if no service answered at all, or FORK if the
   * newest version comes with two different heads (from one service or from two): which
   * service is listed first never decides the answer.
   */
  public Optional<VerifiedHead> head(String schema, String table) {
    GetHead get = new GetHead(schema, table, 0);
    Map<InetSocketAddress, CompletableFuture<Heads>> replies = fanOut(Exchanges.GET_HEAD,
        get::writeTo);
    List<Offered> found = collectVerified(replies, schema, table, "head of "
        + schema + "." + table);
    Newest newest = newest(found);
    if (newest.fork() != null) {
      throw newest.fork().error();
    }
    return Optional.ofNullable(newest.head());
  }

  /**
   * Returns every version of {@code schema.table} any service knows, oldest first. A forked
   * version appears once per distinct head, so a caller sees the fork rather than one branch.
   */
  public List<VerifiedHead> versions(String schema, String table) {
    GetHead get = new GetHead(schema, table, 0);
    Map<InetSocketAddress, CompletableFuture<Heads>> replies = fanOut(Exchanges.GET_VERSIONS,
        get::writeTo);
    Map<ContentId, VerifiedHead> byId = new LinkedHashMap<>();
    for (Offered offered : collectVerified(replies, schema, table, "versions of "
        + schema + "." + table)) {
      byId.putIfAbsent(offered.head().id(), offered.head());
    }
    List<VerifiedHead> sorted = new ArrayList<>(byId.values());
    sorted.sort(Comparator.comparingLong(VerifiedHead::version)
        .thenComparing(v -> v.id().toHex()));
    return List.copyOf(sorted);
  }

  /** Every table's newest head, and the tables whose newest version is forked. */
  public record TableListing(List<VerifiedHead> heads, List<Fork> forks) {
    public TableListing {
      heads = List.copyOf(heads);
      forks = List.copyOf(forks);
    }
  }

  /**
   * Returns the newest verified head of every table any service knows; a table whose newest
   * version has two different heads is listed among the forks instead, never as one of them.
   */
  public TableListing tables() {
    Map<InetSocketAddress, CompletableFuture<Heads>> replies = fanOut(Exchanges.LIST_TABLES,
        buffer -> { });
    Map<String, List<Offered>> byTable = new TreeMap<>();
    for (Offered offered : collectVerified(replies, null, null, "table list")) {
      byTable.computeIfAbsent(offered.head().schema() + "." + offered.head().table(),
          k -> new ArrayList<>()).add(offered);
    }
    List<VerifiedHead> heads = new ArrayList<>();
    List<Fork> forks = new ArrayList<>();
    for (List<Offered> offers : byTable.values()) {
      Newest newest = newest(offers);
      if (newest.fork() != null) {
        forks.add(newest.fork());
      } else {
        heads.add(newest.head());
      }
    }
    return new TableListing(heads, forks);
  }

  /** A table's name: its schema (publisher) and table. */
  public record TableName(String schema, String table) {
    public TableName {
      requireNonNull(schema, "schema");
      requireNonNull(table, "table");
    }
  }

  /**
   * Returns the newest verified head of each of {@code names}, asking every service for all of
   * them at once (one round trip, not one per table, and no other table's head is read or
   * verified); a table no service knows is left out, and one whose newest version has two
   * different heads is listed among the forks. Throws if no service answered for a table.
   */
  public TableListing heads(List<TableName> names) {
    return whenAdmitted(() -> headsOnce(names));
  }

  private TableListing headsOnce(List<TableName> names) {
    Map<TableName, Map<InetSocketAddress, CompletableFuture<Heads>>> replies =
        new LinkedHashMap<>();
    for (TableName name : names) {
      GetHead get = new GetHead(name.schema(), name.table(), 0);
      replies.putIfAbsent(name, fanOut(Exchanges.GET_HEAD, get::writeTo));
    }
    List<VerifiedHead> heads = new ArrayList<>();
    List<Fork> forks = new ArrayList<>();
    for (Map.Entry<TableName, Map<InetSocketAddress, CompletableFuture<Heads>>> reply
        : replies.entrySet()) {
      TableName name = reply.getKey();
      Newest newest = newest(collectVerified(reply.getValue(), name.schema(), name.table(),
          "head of " + name.schema() + "." + name.table()));
      if (newest.fork() != null) {
        forks.add(newest.fork());
      } else if (newest.head() != null) {
        heads.add(newest.head());
      }
    }
    return new TableListing(heads, forks);
  }

  /**
   * Returns, per service that answered, the heads it holds of {@code schema.table} at {@code
   * version} (0: its newest; several when that service holds a fork; empty: it has none).
   * Services that failed are left out and reported to the problem listener.
   */
  public Map<InetSocketAddress, List<VerifiedHead>> headsByService(String schema, String table,
      long version) {
    GetHead get = new GetHead(schema, table, version);
    Map<InetSocketAddress, CompletableFuture<Heads>> replies = fanOut(Exchanges.GET_HEAD,
        get::writeTo);
    Map<InetSocketAddress, List<VerifiedHead>> answers = new LinkedHashMap<>();
    for (Map.Entry<InetSocketAddress, CompletableFuture<Heads>> reply : replies.entrySet()) {
      List<VerifiedHead> heads = new ArrayList<>();
      try {
        for (TableHead head : Calls.await(reply.getValue()).heads()) {
          heads.add(verifiedHeads.verify(head, schema, table));
        }
      } catch (CairnException e) {
        if (e.code() != ErrorCode.NOT_FOUND) {
          problems.problem(reply.getKey(), e);
          continue;
        }
      }
      answers.put(reply.getKey(), heads);
    }
    return answers;
  }

  /** Publishes {@code signed} to {@code service} alone; throws the service's refusal. */
  public HeadOk publishTo(InetSocketAddress service, SignedManifest signed) {
    PublishHead request = new PublishHead(signed.encoded());
    return Calls.await(send(service, Exchanges.PUBLISH_HEAD, request::writeTo));
  }

  /** The newest head among offers of one table, or the fork found at the newest version. */
  private record Newest(VerifiedHead head, Fork fork) {}

  /** One verified head and the service that offered it. */
  private record Offered(InetSocketAddress service, VerifiedHead head) {}

  private static Newest newest(List<Offered> offers) {
    long top = -1;
    for (Offered offered : offers) {
      top = Math.max(top, offered.head().version());
    }
    Map<ContentId, Fork.Branch> atTop = new LinkedHashMap<>();
    for (Offered offered : offers) {
      if (offered.head().version() == top) {
        // Two services may hold different timestamps of one head: keep the one valid longer.
        atTop.merge(offered.head().id(), new Fork.Branch(offered.head(),
            "at " + HostPort.format(offered.service())),
            (a, b) -> VerifiedHead.newer(a.head(), b.head()) == a.head() ? a : b);
      }
    }
    if (atTop.isEmpty()) {
      return new Newest(null, null);
    }
    List<Fork.Branch> branches = new ArrayList<>(atTop.values());
    if (branches.size() == 1) {
      return new Newest(branches.get(0).head(), null);
    }
    // Same order whatever the order of the services: by id.
    branches.sort(Comparator.comparing(b -> b.id().toHex()));
    VerifiedHead any = branches.get(0).head();
    return new Newest(null, new Fork(any.schema(), any.table(), top, branches));
  }

  /** Returns the storage nodes the first answering service knows. */
  public List<NodeInfo> nodes() {
    return firstAnswer(Exchanges.LIST_NODES, buffer -> { }, Nodes::nodes, "node list");
  }

  /**
   * Returns the storage nodes any service lists as live, once per node key ({@link
   * LiveNodeUnion}): donors heartbeat to every service, but one that just restarted knows none
   * until their next heartbeat, and one that missed heartbeats while stopped counts none live,
   * so no single service's list decides how many donors a writer can use. Nothing here is
   * trusted beyond liveness: a writer still checks each node's key when it connects. Throws
   * only if no service answered.
   */
  public List<NodeInfo> liveNodes() {
    return LiveNodeUnion.of(answeredNodeLists());
  }

  /**
   * Returns every storage node any service knows, once per node key, live if any service lists
   * it live ({@link LiveNodeUnion#everyNode}): what a reader maps holders to addresses with, so
   * that a service that just restarted, or missed heartbeats, does not hide live holders.
   * Throws only if no service answered.
   */
  public List<NodeInfo> everyNode() {
    return LiveNodeUnion.everyNode(answeredNodeLists());
  }

  /** Returns every service's node list; reports failures; throws if every service failed. */
  private List<ServiceAnswer<List<NodeInfo>>> answeredNodeLists() {
    return whenAdmitted(this::answeredNodeListsOnce);
  }

  private List<ServiceAnswer<List<NodeInfo>>> answeredNodeListsOnce() {
    List<ServiceAnswer<List<NodeInfo>>> answers = nodesByService();
    List<CairnException> failures = new ArrayList<>();
    for (ServiceAnswer<List<NodeInfo>> answer : answers) {
      if (answer.failure() != null) {
        problems.problem(answer.service(), answer.failure());
        failures.add(answer.failure());
      }
    }
    if (failures.size() == answers.size()) {
      throw allFailed("node list", failures);
    }
    return answers;
  }

  /**
   * Returns the contribution ledger entries of {@code nodeKeys} (at most {@link
   * LedgerMessages#LEDGER_KEYS_MAX}) from the first service that answers (protocol.md 9.9).
   */
  public LedgerMessages.LedgerResult ledger(List<byte[]> nodeKeys) {
    LedgerMessages.GetLedger ask = new LedgerMessages.GetLedger(nodeKeys);
    return firstAnswer(Exchanges.GET_LEDGER, ask::writeTo, result -> result, "ledger");
  }

  /** One service's answer to a per-service request: its value, or why it failed. */
  public record ServiceAnswer<T>(InetSocketAddress service, T value, CairnException failure) {}

  /**
   * Returns every service's own node list, in the order the services were given: node records
   * are kept per service (donors heartbeat to each), so each may know other nodes.
   */
  public List<ServiceAnswer<List<NodeInfo>>> nodesByService() {
    return eachService(fanOut(Exchanges.LIST_NODES, buffer -> { }), Nodes::nodes);
  }

  /**
   * Sends {@code order} to every service and returns each one's answer: whether the node was
   * live, or the refusal (NOT_FOUND, UNAUTHORIZED, ...). Forgetting is per service.
   */
  public List<ServiceAnswer<Boolean>> forgetNode(MetaMessages.ForgetNode order) {
    return eachService(fanOut(Exchanges.FORGET_NODE, order::writeTo),
        MetaMessages.ForgetOk::wasLive);
  }

  private static <R, T> List<ServiceAnswer<T>> eachService(
      Map<InetSocketAddress, CompletableFuture<R>> replies, Function<R, T> value) {
    List<ServiceAnswer<T>> answers = new ArrayList<>();
    replies.forEach((service, reply) -> {
      try {
        answers.add(new ServiceAnswer<>(service, value.apply(Calls.await(reply)), null));
      } catch (CairnException e) {
        answers.add(new ServiceAnswer<>(service, null, e));
      }
    });
    return answers;
  }

  /** Returns, per id in order, the nodes that should hold it and those that report it. */
  public List<BlobPlacement> placement(int replicas, List<ContentId> ids) {
    PlacementRequest request = new PlacementRequest(replicas, ids);
    return firstAnswer(Exchanges.PLACEMENT, request::writeTo,
        result -> {
          List<BlobPlacement> blobs = result.blobs();
          if (blobs.size() != ids.size()) {
            throw new CairnException(ErrorCode.BAD_FRAME, "PLACEMENT of " + ids.size()
                + " ids answered with " + blobs.size() + " rows");
          }
          return blobs;
        }, "placement");
  }

  private List<Offered> collectVerified(
      Map<InetSocketAddress, CompletableFuture<Heads>> replies, String schema, String table,
      String what) {
    List<Offered> verified = new ArrayList<>();
    List<CairnException> failures = new ArrayList<>();
    int answered = 0;
    for (Map.Entry<InetSocketAddress, CompletableFuture<Heads>> reply : replies.entrySet()) {
      Heads heads;
      try {
        heads = Calls.await(reply.getValue());
        answered++;
      } catch (CairnException e) {
        if (e.code() == ErrorCode.NOT_FOUND) {
          answered++;
          continue;
        }
        problems.problem(reply.getKey(), e);
        failures.add(e);
        continue;
      }
      Map<ContentId, HeadTimestamp> timestamps = verifiedTimestamps(reply.getKey(), heads);
      for (TableHead head : heads.heads()) {
        try {
          VerifiedHead found = verifiedHeads.verify(head, schema, table);
          verified.add(new Offered(reply.getKey(),
              found.withTimestamp(timestamps.get(found.id()))));
        } catch (CairnException e) {
          problems.problem(reply.getKey(), e);
        }
      }
    }
    if (answered == 0) {
      throw allFailed(what, failures);
    }
    return verified;
  }

  /**
   * Returns the reply's head timestamps that verify, by the manifest id they name (the latest
   * for an id named twice); reports the others as problems.
   */
  private Map<ContentId, HeadTimestamp> verifiedTimestamps(InetSocketAddress service,
      Heads heads) {
    Map<ContentId, HeadTimestamp> timestamps = new HashMap<>();
    for (byte[] encoded : heads.timestamps()) {
      try {
        HeadTimestamp timestamp = HeadTimestamp.decode(encoded);
        timestamps.merge(timestamp.manifestId(), timestamp,
            (a, b) -> a.validUntilMillis() >= b.validUntilMillis() ? a : b);
      } catch (CairnException e) {
        problems.problem(service, e);
      }
    }
    return timestamps;
  }

  private <R, T> T firstAnswer(Exchange<R> exchange, Consumer<ByteBuf> writer,
      Function<R, T> check, String what) {
    return whenAdmitted(() -> firstAnswerOnce(exchange, writer, check, what));
  }

  private <R, T> T firstAnswerOnce(Exchange<R> exchange, Consumer<ByteBuf> writer,
      Function<R, T> check, String what) {
    List<CairnException> failures = new ArrayList<>();
    for (InetSocketAddress service : services) {
      try {
        return check.apply(Calls.await(send(service, exchange, writer)));
      } catch (CairnException e) {
        problems.problem(service, e);
        failures.add(e);
      }
    }
    throw allFailed(what, failures);
  }

  private <T> Map<InetSocketAddress, CompletableFuture<T>> fanOut(Exchange<T> exchange,
      Consumer<ByteBuf> writer) {
    Map<InetSocketAddress, CompletableFuture<T>> replies = new LinkedHashMap<>();
    for (InetSocketAddress service : services) {
      replies.put(service, send(service, exchange, writer));
    }
    return replies;
  }

  private <T> CompletableFuture<T> send(InetSocketAddress service, Exchange<T> exchange,
      Consumer<ByteBuf> writer) {
    ByteBuf payload = Unpooled.buffer();
    try {
      writer.accept(payload);
      return exchange.send(pool.get(service), payload, callTimeout);
    } catch (CairnException e) {
      payload.release();
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Runs {@code ask}; when it fails on every service and some of them only because this
   * client is leaving them alone for now ({@link PeerBackoff}: they did not answer in time a
   * moment ago), waits until the earliest may be asked again and asks once more, for at most
   * the call timeout and {@link #ADMISSION_ROUNDS_MAX} rounds. With no service left to turn
   * to, failing fast would only turn a short wait into an error: after an outage of every
   * service, the first one back was refused for seconds by readers that remembered it hung.
   */
  private <T> T whenAdmitted(Supplier<T> ask) {
    long deadline = System.nanoTime() + callTimeout.toNanos();
    for (int round = 1; ; round++) {
      try {
        return ask.get();
      } catch (CairnException e) {
        long waitMs = backedOffWaitMs(e);
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (waitMs < 0 || round >= ADMISSION_ROUNDS_MAX || leftMs <= 0) {
          throw e;
        }
        try {
          Thread.sleep(Math.min(leftMs, Math.max(ADMISSION_POLL_MS, waitMs)));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * Returns how long until the soonest service {@code failure} (from {@link #allFailed})
   * names as backed off may be asked again; -1 if none failed for that reason.
   */
  private static long backedOffWaitMs(CairnException failure) {
    long wait = -1;
    List<Throwable> causes = new ArrayList<>(List.of(failure.getSuppressed()));
    if (failure.getCause() != null) {
      causes.add(failure.getCause());
    }
    for (Throwable cause : causes) {
      if (cause instanceof PeerBackoff.BackedOffException backedOff) {
        long left = backedOff.retryAfterMillis();
        wait = wait < 0 ? left : Math.min(wait, left);
      }
    }
    return wait;
  }

  private CairnException allFailed(String what, List<CairnException> failures) {
    if (failures.isEmpty()) {
      return new CairnException(ErrorCode.IO_ERROR, what + ": no metadata service answered");
    }
    StringBuilder detail = new StringBuilder(what).append(" failed on every metadata service");
    for (CairnException failure : failures) {
      detail.append("; ").append(failure.getMessage());
    }
    CairnException first = failures.get(0);
    CairnException all = new CairnException(first.code(), detail.toString(), first);
    failures.stream().skip(1).forEach(all::addSuppressed);
    return all;
  }
}
