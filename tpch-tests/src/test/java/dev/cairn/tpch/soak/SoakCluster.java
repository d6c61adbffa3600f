package dev.cairn.tpch.soak;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The soak's cluster: {@code metas} metadata services that gossip heads with each other and
 * {@code donors} storage servers heartbeating to all of them, every one a child JVM running
 * the real {@code cairn meta} / {@code cairn server} command on a fixed loopback port, so a
 * restarted process comes back where readers look for it.
 */
final class SoakCluster implements AutoCloseable {
  /** Quick heartbeats, so a restarted donor is placed again within a second. */
  private static final String HEARTBEAT = "500ms";
  /**
   * Every reader, writer and peer connects from 127.0.0.1, so the per-address limit is the
   * total one here, as in LocalCluster.
   */
  private static final String PER_ADDRESS_MAX = "1024";
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final List<ChildProcess> metas;
  private final List<ChildProcess> donors;

  private SoakCluster(List<ChildProcess> metas, List<ChildProcess> donors) {
    this.metas = metas;
    this.donors = donors;
  }

  /** Starts every process under {@code dir} and waits until each service counts every donor. */
  static SoakCluster start(Path dir, int metaCount, int donorCount) throws IOException {
    Files.createDirectories(dir);
    List<Integer> metaPorts = new ArrayList<>();
    for (int i = 0; i < metaCount; i++) {
      metaPorts.add(ChildProcess.freePort());
    }
    List<ChildProcess> metas = new ArrayList<>();
    for (int i = 0; i < metaCount; i++) {
      List<String> args = new ArrayList<>(List.of("meta", "--listen", hostPort(metaPorts.get(i)),
          "--data", dir.resolve("meta-" + i).toString(),
          "--connections-per-address-max", PER_ADDRESS_MAX));
      for (int j = 0; j < metaCount; j++) {
        if (j != i) {
          args.addAll(List.of("--peer", hostPort(metaPorts.get(j))));
        }
      }
      metas.add(new ChildProcess("meta-" + i, metaPorts.get(i), args,
          dir.resolve("meta-" + i + ".log")));
    }
    String metaList = metaPorts.stream().map(SoakCluster::hostPort)
        .collect(Collectors.joining(","));
    List<ChildProcess> donors = new ArrayList<>();
    for (int i = 0; i < donorCount; i++) {
      int port = ChildProcess.freePort();
      donors.add(new ChildProcess("donor-" + i, port, List.of("server",
          "--listen", hostPort(port), "--data", dir.resolve("donor-" + i).toString(),
          "--meta", metaList, "--capacity", "2GiB", "--heartbeat-interval", HEARTBEAT,
          "--connections-per-address-max", PER_ADDRESS_MAX),
          dir.resolve("donor-" + i + ".log")));
    }
    SoakCluster cluster = new SoakCluster(metas, donors);
    try {
      for (ChildProcess process : cluster.all()) {
        process.start();
      }
      for (ChildProcess process : cluster.all()) {
        process.awaitListening(ChildProcess.WAIT);
      }
      cluster.awaitAllLive();
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static String hostPort(int port) {
    return "127.0.0.1:" + port;
  }

  List<ChildProcess> metas() {
    return metas;
  }

  List<ChildProcess> donors() {
    return donors;
  }

  /** Returns the metadata services first, then the donors. */
  List<ChildProcess> all() {
    List<ChildProcess> all = new ArrayList<>(metas);
    all.addAll(donors);
    return all;
  }

  List<InetSocketAddress> metaAddresses() {
    return metas.stream().map(ChildProcess::address).toList();
  }

  /** Returns {@code host:port,host:port} of the services, for a jdbc:cairn URL. */
  String metaHostPorts() {
    return metas.stream().map(m -> hostPort(m.port())).collect(Collectors.joining(","));
  }

  /**
   * Waits, bounded by {@link ChildProcess#WAIT}, until every metadata service counts every
   * donor live.
   */
  void awaitAllLive() {
    try (ConnectionPool pool = new ConnectionPool(CALL_TIMEOUT)) {
      List<MetaClient> clients = metas.stream().map(m -> new MetaClient(pool,
          List.of(m.address()), CALL_TIMEOUT)).toList();
      Await.until(ChildProcess.WAIT, donors.size() + " live donors on every service",
          () -> "live per service " + clients.stream().map(SoakCluster::liveOrError).toList(),
          () -> clients.stream().allMatch(c -> liveOrError(c).equals(donors.size())));
    }
  }

  /** Returns the live donors a service counts, or the error that prevented asking. */
  private static Object liveOrError(MetaClient client) {
    try {
      return (int) client.nodes().stream().filter(n -> n.live()).count();
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  @Override
  public void close() {
    all().forEach(ChildProcess::destroy);
  }
}
