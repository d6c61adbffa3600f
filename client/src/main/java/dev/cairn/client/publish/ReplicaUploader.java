package dev.cairn.client.publish;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.net.NodeClient;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.Placement;
import dev.cairn.wire.VettingShare;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.rpc.Calls;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * Puts one blob on R distinct storage nodes, or the k + m shards of one erasure-coded batch
 * each on its own node, chosen by zone-diverse rendezvous placement.
 *
 * <p>Both are a set of <b>slots</b> that must each be confirmed by a distinct node: R slots of
 * the same blob, or one slot per shard. A slot's candidates are ranked by its blob id (every
 * shard's by its batch id, so shard i goes to the i-th node) with
 * {@link VettingShare#rankAcrossZones} (zone-diverse rendezvous rank, with at most one node still
 * being vetted among the first slots-count while vetted ones exist), skipping nodes another slot
 * already claimed, so every slot lands on another node. All slots are tried at once. Each
 * attempt first asks HAS (so a re-run of an interrupted publish sends nothing a node already
 * holds) and PUTs only if needed. When an attempt fails (lost connection, timeout, a node that
 * refuses the key) the node is out for this blob or stripe and the slot goes to its next best
 * unclaimed node, so a failed node's place goes to another node of its zone when there is
 * one; until every slot is confirmed or no node is left.
 *
 * <p>Nodes the metadata services list as <b>not live</b> (a donor restarted seconds ago that
 * has not heartbeated yet looks dead) come after every live-listed node, in their own rank
 * order: tried only when the live ones are used up, so a copy goes to a donor that is really
 * up rather than failing the blob.
 *
 * <p>A node that <b>refuses the writer</b> (QUOTA_EXCEEDED: the writer's allowance there is
 * used up or zero; CAPACITY_FULL) or that <b>cannot be reached</b> (IO_ERROR: refused or lost
 * connection, a timeout; BUSY: its admission limits; a donor killed seconds ago that the
 * metadata services still list live) is out for every later blob of this uploader too, the way
 * a donor's repair planner passes over a node that does not take its copy ({@code
 * RepairPlanner}'s fallbacks): the next node in rank takes the copy, and a later repair
 * round sees the same order, so it keeps that copy rather than moving it to the refusing
 * node.
 *
 * <p>When a blob runs out of nodes, the uploader <b>asks every service for its node list
 * again</b> ({@link #relist}) before failing: a donor that no service listed, or one that
 * failed this writer but has heartbeated since (a donor restarted meanwhile), becomes a
 * candidate. It asks once at once and, while {@code relistUntilNanos} (the end of the
 * publish's wait for live donors) is ahead and some node could not be reached or is listed
 * not live, again every {@link #RELIST_POLL}, until a candidate appears. A blob fails only
 * when fewer nodes than slots accept it even then, with an error naming every refusal; its
 * code is the refusals' when they agree (QUOTA_EXCEEDED when every node refused the writer's
 * quota), else BUSY.
 */
final class ReplicaUploader {
  /**
   * One blob that one node must confirm; candidates are ranked by {@code placeBy}: the blob's
   * own id for a copy, the batch id for every shard of a stripe, so that the shards go to the
   * stripe's first k + m nodes, the places donors keep them on (StripeRepair).
   */
  record Slot(ContentId id, byte[] blob, ContentId placeBy) {
    Slot(ContentId id, byte[] blob) {
      this(id, blob, id);
    }
  }

  /** What one node (by key hex) did with one slot's blob. */
  private record Attempt(int slot, String keyHex, NodeClient node, boolean sent,
      CairnException error) {}

  /** What a node that is out for this uploader said, and when ({@link System#nanoTime}). */
  private record Refusal(CairnException error, long atNanos) {}

  /** Wait between two node lists while a blob is short of nodes. */
  static final Duration RELIST_POLL = Duration.ofMillis(500);

  /** The donors to place on; replaced, under {@link #relistLock}, when the lists are asked again. */
  private volatile DonorSet donors;
  /** Asks every service's node list again; throws if none answers. */
  private final Supplier<DonorSet> relist;
  private final long relistUntilNanos;
  private final Object relistLock = new Object();
  private final int replicas;
  private final SigningKey writer;
  private final ExecutorService attempts;
  private final ProgressListener progress;
  /**
   * Nodes (by key hex) that refused this writer or could not be reached, with what they said,
   * in the order seen: out for every later blob, and named when a blob finds too few nodes.
   */
  private final Map<String, Refusal> refusals =
      java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());

  /**
   * Creates an uploader over {@code donors} that asks {@code relist} for the services' node
   * lists again when a blob runs short, polling until {@code relistUntilNanos} at most.
   */
  ReplicaUploader(DonorSet donors, Supplier<DonorSet> relist, long relistUntilNanos,
      int replicas, SigningKey writer, ExecutorService attempts, ProgressListener progress) {
    this.donors = requireNonNull(donors, "donors");
    this.relist = requireNonNull(relist, "relist");
    this.relistUntilNanos = relistUntilNanos;
    this.replicas = replicas;
    this.writer = requireNonNull(writer, "writer");
    this.attempts = requireNonNull(attempts, "attempts");
    this.progress = requireNonNull(progress, "progress");
  }

  /** Stores {@code blob} on R nodes; returns how many bytes were sent. Blocks until done. */
  long upload(ContentId id, byte[] blob) throws InterruptedException {
    List<Slot> slots = new ArrayList<>(replicas);
    for (int i = 0; i < replicas; i++) {
      slots.add(new Slot(id, blob));
    }
    return uploadDistinct(slots, "batch " + id.toShortHex());
  }

  /**
   * Stores every slot's blob on its own node, no two slots on one node; returns how many
   * bytes were sent. {@code what} names the batch in errors. Blocks until done.
   */
  long uploadDistinct(List<Slot> slots, String what) throws InterruptedException {
    Map<byte[], SharedDirectBlob> copies = new java.util.IdentityHashMap<>();
    for (Slot slot : slots) {
      copies.computeIfAbsent(slot.blob(), SharedDirectBlob::new);
    }
    try {
      return uploadDistinct(slots, copies, what);
    } finally {
      copies.values().forEach(SharedDirectBlob::close);
    }
  }

  private long uploadDistinct(List<Slot> slots, Map<byte[], SharedDirectBlob> copies,
      String what) throws InterruptedException {
    BlockingQueue<Attempt> results = new LinkedBlockingQueue<>();
    List<CairnException> failures = new ArrayList<>();
    Set<String> claimed = new HashSet<>();
    Map<String, Long> failed = new HashMap<>(); // node key hex: when it failed this blob
    java.util.Deque<Integer> waiting = new java.util.ArrayDeque<>();
    for (int i = 0; i < slots.size(); i++) {
      waiting.add(i);
    }
    int inFlight = 0;
    int confirmed = 0;
    long sent = 0;
    boolean relisted = false;
    while (confirmed < slots.size()) {
      for (int tries = waiting.size(); tries > 0; tries--) {
        int slot = waiting.poll();
        String next = nextCandidate(slots.get(slot).placeBy(), slots.size(), claimed,
            failed);
        if (next == null) {
          waiting.add(slot);
          continue;
        }
        claimed.add(next);
        start(slot, next, slots.get(slot), copies.get(slots.get(slot).blob()), results);
        inFlight++;
      }
      if (inFlight == 0) {
        if (!relisted && waiting.size() > 0) {
          relisted = true;
          if (relistFor(slots, waiting, claimed, failed)) {
            continue;
          }
        }
        List<CairnException> all = new ArrayList<>(failures);
        synchronized (refusals) {
          refusals.values().forEach(refusal -> all.add(refusal.error()));
        }
        throw tooFewNodes(what + " is on only " + confirmed + " of " + slots.size()
            + " storage nodes, of the " + listedNodes(), all);
      }
      Attempt attempt = results.take();
      inFlight--;
      if (attempt.error() == null) {
        confirmed++;
        if (attempt.sent()) {
          sent += slots.get(attempt.slot()).blob().length;
        }
      } else {
        claimed.remove(attempt.keyHex());
        failed.put(attempt.keyHex(), System.nanoTime());
        waiting.add(attempt.slot());
        CairnException named = new CairnException(attempt.error().code(),
            HostPort.format(attempt.node().address()) + ": " + attempt.error().detail());
        if (refusesWriter(attempt.error().code()) || unreachable(attempt.error().code())) {
          refusals.putIfAbsent(attempt.keyHex(), new Refusal(named, System.nanoTime()));
        } else {
          failures.add(named);
        }
      }
    }
    return sent;
  }

  /**
   * Returns the best node for {@code id} in zone-diverse order, with the vetting share for
   * {@code slotCount} nodes applied, over the nodes that have not failed for this blob nor
   * refused the writer, that no slot has claimed: a live-listed one if any is left, else one
   * the services list as not live (restarted and not yet heard from, say); null when none is.
   */
  private String nextCandidate(ContentId id, int slotCount, Set<String> claimed,
      Map<String, Long> failed) {
    DonorSet current = donors;
    List<Placement.Node> live = new ArrayList<>(current.size());
    List<Placement.Node> notLive = new ArrayList<>();
    for (Placement.Node node : current.placement()) {
      if (!failed.containsKey(hex(node)) && !refusals.containsKey(hex(node))) {
        (current.notLive(hex(node)) ? notLive : live).add(node);
      }
    }
    for (List<Placement.Node> usable : List.of(live, notLive)) {
      for (Placement.Node node : VettingShare.rankAcrossZones(id, usable,
          key -> current.vetting(HexFormat.of().formatHex(key)), slotCount)) {
        if (!claimed.contains(hex(node))) {
          return hex(node);
        }
      }
    }
    return null;
  }

  /**
   * Asks the services for their node lists again (see the class comment) until one of the
   * {@code waiting} slots has a candidate: a node no list had before, or one that failed ({@code failed}) or
   * was out for this uploader but has heartbeated since (it is tried again). Returns whether a
   * candidate appeared; false also when no service answers.
   */
  private boolean relistFor(List<Slot> slots, java.util.Collection<Integer> waiting,
      Set<String> claimed, Map<String, Long> failed) throws InterruptedException {
    boolean mayWait = reachabilityFailed();
    long asksMax = 1 + Publisher.LIVE_NODES_WAIT.toMillis() / RELIST_POLL.toMillis();
    for (long ask = 0; ask == 0
        || (mayWait && ask < asksMax && System.nanoTime() - relistUntilNanos < 0); ask++) {
      if (ask > 0) {
        Thread.sleep(RELIST_POLL.toMillis());
      }
      DonorSet fresh;
      try {
        fresh = relist.get();
      } catch (CairnException e) {
        continue; // no service answered: as if nothing changed
      }
      synchronized (relistLock) {
        donors = donors.updatedBy(fresh);
      }
      failed.entrySet().removeIf(f -> fresh.heardAfter(f.getKey(), f.getValue()));
      synchronized (refusals) {
        refusals.entrySet().removeIf(r -> unreachable(r.getValue().error().code())
            && fresh.heardAfter(r.getKey(), r.getValue().atNanos()));
      }
      for (int slot : waiting) {
        if (nextCandidate(slots.get(slot).placeBy(), slots.size(), claimed, failed) != null) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * True when waiting for heartbeats may help: some node could not be reached by this uploader,
   * or is listed not live. Not when every node refused the writer or failed otherwise.
   */
  private boolean reachabilityFailed() {
    DonorSet current = donors;
    for (Placement.Node node : current.placement()) {
      if (current.notLive(hex(node))) {
        return true;
      }
    }
    synchronized (refusals) {
      for (Refusal refusal : refusals.values()) {
        if (unreachable(refusal.error().code())) {
          return true;
        }
      }
    }
    return false;
  }

  /** True for a refusal of the writer that stays for this publish: its quota, a full disk. */
  private static boolean refusesWriter(ErrorCode code) {
    return code == ErrorCode.QUOTA_EXCEEDED || code == ErrorCode.CAPACITY_FULL;
  }

  /**
   * True for a node that did not take part (no connection, a lost one, a timeout, BUSY):
   * trying it again for every later blob would cost a connect or a timeout each time.
   */
  private static boolean unreachable(ErrorCode code) {
    return code == ErrorCode.IO_ERROR || code == ErrorCode.BUSY;
  }

  private static String hex(Placement.Node node) {
    return HexFormat.of().formatHex(node.key());
  }

  /**
   * Says how many nodes placement had, and how many of them only as not live: a donor that no
   * answering service lists (one down when a service restarted, not heard from since) is never
   * asked, and this count is what tells that apart from a node asked and not named.
   */
  private String listedNodes() {
    DonorSet current = donors;
    int notLive = 0;
    for (Placement.Node node : current.placement()) {
      if (current.notLive(hex(node))) {
        notLive++;
      }
    }
    return current.size() + " the metadata services list"
        + (notLive == 0 ? "" : " (" + notLive + " of them as not live)");
  }

  /** Names every node's failure; the code is theirs when they agree (e.g. all full), else BUSY. */
  private static CairnException tooFewNodes(String shortfall, List<CairnException> failures) {
    ErrorCode code = failures.isEmpty() ? ErrorCode.BUSY : failures.get(0).code();
    StringBuilder detail = new StringBuilder(shortfall);
    for (CairnException failure : failures) {
      if (failure.code() != code) {
        code = ErrorCode.BUSY;
      }
      detail.append("; ").append(failure.getMessage());
    }
    return new CairnException(code, detail.toString());
  }

  private void start(int slot, String keyHex, Slot what, SharedDirectBlob copy,
      BlockingQueue<Attempt> into) {
    NodeClient node = donors.client(keyHex);
    CompletableFuture.runAsync(
        () -> into.add(attempt(slot, keyHex, node, what.id(), copy)), attempts);
  }

  /** Runs on an attempt thread: blocking calls are fine there. */
  private Attempt attempt(int slot, String keyHex, NodeClient node, ContentId id,
      SharedDirectBlob copy) {
    try {
      if (node.has(List.of(id)).get(0)) {
        return new Attempt(slot, keyHex, node, false, null);
      }
      ByteBuf direct = copy.direct();
      node.put(id, direct, writer);
      progress.bytesUploaded(direct.readableBytes());
      return new Attempt(slot, keyHex, node, true, null);
    } catch (CairnException e) {
      return new Attempt(slot, keyHex, node, false, e);
    } catch (RuntimeException e) {
      return new Attempt(slot, keyHex, node, false, Calls.asCairn(e));
    }
  }
}
