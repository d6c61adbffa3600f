package dev.cairn.server.heal;

import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.message.NodeStanding;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One snapshot, taken by {@link MetaSnapshot}, of what anti-entropy decides from: the blobs
 * that verified manifests of kept versions name, the live nodes, and who holds what.
 *
 * @param needs every blob a kept version names, with the most demanding policy among them
 * @param releasable blobs named only by versions a donor policy ({@code keep-versions}) lets
 *     this node drop; never one a kept version also names
 * @param liveNodes live nodes by key
 * @param holders live nodes reporting each needed blob, by blob
 */
record ClusterView(Map<ContentId, Need> needs, Set<ContentId> releasable,
    Map<PublicKey, Peer> liveNodes, Map<ContentId, List<PublicKey>> holders) {

  /**
   * A blob some kept version needs: who pays for it, how many copies, its size, and the chunk
   * root a manifest signs for it (null: no kept manifest gives one, so no chunk audit).
   */
  record Need(ContentId id, String writerFingerprint, int replicas, long sizeBytes,
      ContentId chunkRoot) {
    /** A need without a chunk root. */
    Need(ContentId id, String writerFingerprint, int replicas, long sizeBytes) {
      this(id, writerFingerprint, replicas, sizeBytes, null);
    }
  }

  /**
   * A live node as the metadata service lists it: {@code score} is its audit reputation in
   * millionths, {@code standing} whether it is vetted or disqualified, {@code zone} the failure
   * domain it declared.
   */
  record Peer(PublicKey key, String address, long freeBytes, int score,
      NodeStanding standing, String zone) {}

  ClusterView {
    needs = Map.copyOf(needs);
    releasable = Set.copyOf(releasable);
    liveNodes = Map.copyOf(liveNodes);
    holders = Map.copyOf(holders);
  }
}
