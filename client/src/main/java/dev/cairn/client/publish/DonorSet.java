package dev.cairn.client.publish;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.NodeClient;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.Placement;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The donors a publish may put copies on, from the union of every metadata service's node list
 * ({@code MetaClient.everyNode}): a client per donor by key hex, the placement nodes with their
 * zones, which of them no service lists live (tried last) and which are still being vetted.
 * Disqualified donors and ones with an address that does not parse are left out. Immutable.
 */
final class DonorSet {
  private static final Logger LOG = Logger.getLogger(DonorSet.class.getName());

  private final Map<String, NodeClient> clients;
  private final List<Placement.Node> placement;
  private final Set<String> notLive;
  private final Set<String> vetting;
  /** When each live-listed donor was last heard from, on this JVM's {@link System#nanoTime}. */
  private final Map<String, Long> heardAtNanos;

  private DonorSet(Map<String, NodeClient> clients, List<Placement.Node> placement,
      Set<String> notLive, Set<String> vetting, Map<String, Long> heardAtNanos) {
    this.clients = Map.copyOf(clients);
    this.placement = List.copyOf(placement);
    this.notLive = Set.copyOf(notLive);
    this.vetting = Set.copyOf(vetting);
    this.heardAtNanos = Map.copyOf(heardAtNanos);
  }

  /** Makes the set from a node list taken just now, with clients from {@code pool}. */
  static DonorSet of(List<NodeInfo> listed, ConnectionPool pool, Duration callTimeout) {
    long now = System.nanoTime();
    Map<String, NodeClient> clients = new LinkedHashMap<>();
    List<Placement.Node> placement = new ArrayList<>();
    Set<String> notLive = new HashSet<>();
    Set<String> vetting = new HashSet<>();
    Map<String, Long> heard = new HashMap<>();
    for (NodeInfo info : listed) {
      if (info.standing() == NodeStanding.DISQUALIFIED) {
        continue; // a disqualified node's audits failed: it gets no new copies
      }
      String hex = HexFormat.of().formatHex(info.nodeKey());
      try {
        InetSocketAddress address = HostPort.parse(info.address()).resolve();
        clients.put(hex, new NodeClient(pool, address, info.nodeKey(), callTimeout));
      } catch (CairnException e) {
        LOG.warning("skipping storage node with a bad address: " + e.getMessage());
        continue;
      }
      placement.add(info.placementNode());
      if (info.standing() == NodeStanding.VETTING) {
        vetting.add(hex);
      }
      if (info.live()) {
        heard.put(hex, now - Duration.ofMillis(Math.max(0, info.silenceMillis())).toNanos());
      } else {
        // A donor restarted seconds ago, or one a restarted service remembers, looks dead
        // until it heartbeats: tried only after every live one.
        notLive.add(hex);
      }
    }
    return new DonorSet(clients, placement, notLive, vetting, heard);
  }

  /**
   * Returns {@code fresh} plus the donors of this set it does not list (a service that stopped
   * answering meanwhile), so a client handed out before stays usable.
   */
  DonorSet updatedBy(DonorSet fresh) {
    Map<String, NodeClient> clients = new LinkedHashMap<>(fresh.clients);
    List<Placement.Node> placement = new ArrayList<>(fresh.placement);
    Set<String> notLive = new HashSet<>(fresh.notLive);
    Set<String> vetting = new HashSet<>(fresh.vetting);
    for (Placement.Node node : this.placement) {
      String hex = HexFormat.of().formatHex(node.key());
      if (!clients.containsKey(hex)) {
        clients.put(hex, this.clients.get(hex));
        placement.add(node);
        if (this.notLive.contains(hex)) {
          notLive.add(hex);
        }
        if (this.vetting.contains(hex)) {
          vetting.add(hex);
        }
      }
    }
    Map<String, Long> heard = new HashMap<>(heardAtNanos);
    heard.putAll(fresh.heardAtNanos);
    return new DonorSet(clients, placement, notLive, vetting, heard);
  }

  /** Returns how many donors the set has, live-listed or not. */
  int size() {
    return placement.size();
  }

  /** Returns the donors with their zones, in listing order. */
  List<Placement.Node> placement() {
    return placement;
  }

  /** Returns the client of the donor with key {@code hex}, or null if the set has none. */
  NodeClient client(String hex) {
    return clients.get(hex);
  }

  /** Returns whether no service lists donor {@code hex} live. */
  boolean notLive(String hex) {
    return notLive.contains(hex);
  }

  /** Returns whether donor {@code hex} is still being vetted. */
  boolean vetting(String hex) {
    return vetting.contains(hex);
  }

  /**
   * Returns whether a service listed donor {@code hex} live with a heartbeat later than {@code
   * nanos} ({@link System#nanoTime}): it answered its service after it failed this writer.
   */
  boolean heardAfter(String hex, long nanos) {
    Long heard = heardAtNanos.get(hex);
    return heard != null && heard - nanos > 0;
  }
}
