package dev.cairn.server.status;

import dev.cairn.server.StorageServer;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.status.RecentEvents;
import dev.cairn.wire.status.ServerMetrics;
import dev.cairn.wire.status.StatusServer;
import dev.cairn.wire.status.Throughput;
import java.net.InetSocketAddress;

/**
 * A donor's metrics endpoint and status page on the operator's {@code metrics} address:
 * {@code /metrics} in the Prometheus text format, {@code /} as HTML. Started after the donor
 * serves and closed before it stops.
 */
public final class DonorStatus implements AutoCloseable {
  private final ServerMetrics metrics;
  private final RecentEvents events;
  private final StatusServer http;

  private DonorStatus(ServerMetrics metrics, RecentEvents events, StatusServer http) {
    this.metrics = metrics;
    this.events = events;
    this.http = http;
  }

  /** Serves {@code server}'s metrics and page on {@code address}; IO_ERROR if it cannot bind. */
  public static DonorStatus start(StorageServer server, HostPort address) {
    ServerMetrics metrics = new ServerMetrics(server.rpcServer());
    RecentEvents events = RecentEvents.attach("dev.cairn.server");
    try {
      DonorMeters.bind(server, metrics);
      Throughput throughput = new Throughput(server.rpcServer().traffic());
      StatusServer http = StatusServer.start(address, metrics::scrape,
          () -> DonorPage.render(server, throughput, events));
      return new DonorStatus(metrics, events, http);
    } catch (RuntimeException e) {
      events.close();
      metrics.close();
      throw e;
    }
  }

  /** Returns the bound address (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return http.address();
  }

  @Override
  public void close() {
    http.close();
    events.close();
    metrics.close();
  }
}
