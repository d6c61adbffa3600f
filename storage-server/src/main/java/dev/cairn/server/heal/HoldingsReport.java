package dev.cairn.server.heal;

import dev.cairn.server.heal.ClusterView.Need;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the last anti-entropy round saw, kept for the status page and the metrics: per table,
 * the blobs its kept versions name, how many of them this donor holds, and how many have fewer
 * live (trusted) copies than the table asks for; and the live peers the metadata service
 * listed. A snapshot of one moment, replaced whole by the next round.
 *
 * @param takenAt when the round took its view
 * @param tables one row per {@code schema.table}, by name
 * @param peers the live nodes, this donor among them, by address
 */
public record HoldingsReport(Instant takenAt, List<TableHolding> tables, List<PeerRow> peers) {
  /**
   * One table's blobs as seen from this donor.
   *
   * @param table {@code schema.table}
   * @param writer fingerprint of the key paying for its blobs
   * @param replicas copies the most demanding kept version asks for
   * @param blobs distinct blobs named by kept versions
   * @param heldHere of those, blobs this donor holds
   * @param bytesHere their bytes
   * @param shortOfCopies blobs with fewer live trusted copies than {@code replicas}
   * @param noLiveCopy blobs with no live trusted copy anywhere
   */
  public record TableHolding(String table, String writer, int replicas, int blobs, int heldHere,
      long bytesHere, int shortOfCopies, int noLiveCopy) {}

  /** A live node as the metadata service listed it (score in millionths). */
  public record PeerRow(String fingerprint, String address, String zone, long freeBytes,
      int score, String standing) {}

  public HoldingsReport {
    tables = List.copyOf(tables);
    peers = List.copyOf(peers);
  }

  /** Builds the report of one round from its view and the kept blobs of each table. */
  static HoldingsReport of(ClusterView view, Map<String, Set<ContentId>> keptBlobsByTable,
      Predicate<ContentId> heldHere) {
    List<TableHolding> tables = new ArrayList<>();
    keptBlobsByTable.forEach((table, ids) -> {
      String writer = "";
      int replicas = 0;
      int held = 0;
      long bytes = 0;
      int shortOf = 0;
      int none = 0;
      for (ContentId id : ids) {
        Need need = view.needs().get(id);
        if (need == null) {
          continue;
        }
        writer = need.writerFingerprint();
        replicas = Math.max(replicas, need.replicas());
        if (heldHere.test(id)) {
          held++;
          bytes += need.sizeBytes();
        }
        int copies = view.holders().getOrDefault(id, List.of()).size();
        if (copies < need.replicas()) {
          shortOf++;
        }
        if (copies == 0) {
          none++;
        }
      }
      tables.add(new TableHolding(table, writer, replicas, ids.size(), held, bytes, shortOf,
          none));
    });
    tables.sort(Comparator.comparing(TableHolding::table));
    List<PeerRow> peers = new ArrayList<>();
    for (ClusterView.Peer peer : view.liveNodes().values()) {
      PublicKey key = peer.key();
      peers.add(new PeerRow(key.fingerprint().toString(), peer.address(), peer.zone(),
          peer.freeBytes(), peer.score(), String.valueOf(peer.standing())));
    }
    peers.sort(Comparator.comparing(PeerRow::address));
    return new HoldingsReport(Instant.now(), tables, peers);
  }
}
