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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/**
 * Puts one blob on R distinct storage nodes, chosen by zone-diverse rendezvous placement.
 *
 * <p>The first R nodes of {@link VettingShare#rankAcrossZones} (zone-diverse rendezvous rank,
 * with at most one node still being vetted among the first R while vetted ones exist) are
 * tried at once. Each attempt first asks HAS (so a re-run of an interrupted publish sends
 * nothing a node already holds) and PUTs only if needed. When an attempt fails (lost
 * connection, CAPACITY_FULL, timeout, a node that refuses the key) the order is computed again
 * without the failed nodes and its best untried node is tried, so a failed node's place goes
 * to another node of its zone when there is one; until R nodes confirmed or none are left.
 * QUOTA_EXCEEDED is fatal: the writer is over its allowance, and spreading the data to other
 * nodes would only hide that; it is rethrown naming the node.
 */
final class ReplicaUploader {
  /** What one node (by key hex) did with the blob. */
  private record Attempt(String keyHex, NodeClient node, boolean sent, CairnException error) {}

  private final Map<String, NodeClient> nodesByKeyHex;
  private final List<Placement.Node> nodes;
  private final Predicate<byte[]> vetting;
  private final int replicas;
  private final SigningKey writer;
  private final ExecutorService attempts;
  private final ProgressListener progress;

  ReplicaUploader(Map<String, NodeClient> nodesByKeyHex, List<Placement.Node> nodes,
      Predicate<byte[]> vetting, int replicas, SigningKey writer, ExecutorService attempts,
      ProgressListener progress) {
    this.nodesByKeyHex = Map.copyOf(nodesByKeyHex);
    this.nodes = List.copyOf(nodes);
    this.vetting = requireNonNull(vetting, "vetting");
    this.replicas = replicas;
    this.writer = requireNonNull(writer, "writer");
    this.attempts = requireNonNull(attempts, "attempts");
    this.progress = requireNonNull(progress, "progress");
  }

  /** Stores {@code blob} on R nodes; returns how many bytes were sent. Blocks until done. */
  long upload(ContentId id, byte[] blob) throws InterruptedException {
    BlockingQueue<Attempt> results = new LinkedBlockingQueue<>();
    List<CairnException> failures = new ArrayList<>();
    Set<String> tried = new HashSet<>();
    Set<String> failed = new HashSet<>();
    int inFlight = 0;
    int confirmed = 0;
    long sent = 0;
    while (confirmed < replicas) {
      while (confirmed + inFlight < replicas) {
        String next = nextCandidate(id, tried, failed);
        if (next == null) {
          break;
        }
        tried.add(next);
        start(next, id, blob, results);
        inFlight++;
      }
      if (inFlight == 0) {
        throw tooFewCopies(id, confirmed, failures);
      }
      Attempt attempt = results.take();
      inFlight--;
      if (attempt.error() == null) {
        confirmed++;
        if (attempt.sent()) {
          sent += blob.length;
        }
      } else if (attempt.error().code() == ErrorCode.QUOTA_EXCEEDED) {
        throw new CairnException(ErrorCode.QUOTA_EXCEEDED, "storage node "
            + HostPort.format(attempt.node().address()) + " refused batch " + id.toShortHex()
            + " (" + blob.length + " bytes): " + attempt.error().detail(), attempt.error());
      } else {
        failed.add(attempt.keyHex());
        failures.add(new CairnException(attempt.error().code(),
            HostPort.format(attempt.node().address()) + ": " + attempt.error().detail()));
      }
    }
    return sent;
  }

  /**
   * Returns the best node not yet tried in zone-diverse order, with the vetting share applied,
   * over the nodes that have not failed, or null when every one was tried.
   */
  private String nextCandidate(ContentId id, Set<String> tried, Set<String> failed) {
    List<Placement.Node> usable = new ArrayList<>(nodes.size());
    for (Placement.Node node : nodes) {
      if (!failed.contains(hex(node))) {
        usable.add(node);
      }
    }
    for (Placement.Node node : VettingShare.rankAcrossZones(id, usable, vetting, replicas)) {
      if (!tried.contains(hex(node))) {
        return hex(node);
      }
    }
    return null;
  }

  private static String hex(Placement.Node node) {
    return HexFormat.of().formatHex(node.key());
  }

  /** Names every node's failure; the code is theirs when they agree (e.g. all full), else BUSY. */
  private CairnException tooFewCopies(ContentId id, int confirmed,
      List<CairnException> failures) {
    ErrorCode code = failures.isEmpty() ? ErrorCode.BUSY : failures.get(0).code();
    StringBuilder detail = new StringBuilder("batch " + id.toShortHex() + " is on only "
        + confirmed + " of " + replicas + " storage nodes");
    for (CairnException failure : failures) {
      if (failure.code() != code) {
        code = ErrorCode.BUSY;
      }
      detail.append("; ").append(failure.getMessage());
    }
    return new CairnException(code, detail.toString());
  }

  private void start(String keyHex, ContentId id, byte[] blob, BlockingQueue<Attempt> into) {
    NodeClient node = nodesByKeyHex.get(keyHex);
    CompletableFuture.runAsync(() -> into.add(attempt(keyHex, node, id, blob)), attempts);
  }

  /** Runs on an attempt thread: blocking calls are fine there. */
  private Attempt attempt(String keyHex, NodeClient node, ContentId id, byte[] blob) {
    try {
      if (node.has(List.of(id)).get(0)) {
        return new Attempt(keyHex, node, false, null);
      }
      node.put(id, blob, writer);
      progress.bytesUploaded(blob.length);
      return new Attempt(keyHex, node, true, null);
    } catch (CairnException e) {
      return new Attempt(keyHex, node, false, e);
    } catch (RuntimeException e) {
      return new Attempt(keyHex, node, false, Calls.asCairn(e));
    }
  }
}
