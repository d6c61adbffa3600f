package dev.cairn.meta;

import dev.cairn.wire.HostPort;
import dev.cairn.wire.status.RecentEvents;
import dev.cairn.wire.status.ServerMetrics;
import dev.cairn.wire.status.StatusServer;
import dev.cairn.wire.status.Throughput;
import java.net.InetSocketAddress;

/**
 * A metadata service's metrics endpoint and status page on the operator's {@code metrics}
 * address: {@code /metrics} in the Prometheus text format, {@code /} as HTML.
 */
final class MetaStatus implements AutoCloseable {
  private final ServerMetrics metrics;
  private final RecentEvents events;
  private final StatusServer http;

  private MetaStatus(ServerMetrics metrics, RecentEvents events, StatusServer http) {
    this.metrics = metrics;
    this.events = events;
    this.http = http;
  }

  /** Serves the service's metrics and page on {@code address}; IO_ERROR if it cannot bind. */
  static MetaStatus start(MetadataService service, NodeRegistry nodes, TableRegistry tables,
      HostPort address) {
    ServerMetrics metrics = new ServerMetrics(service.rpcServer());
    RecentEvents events = RecentEvents.attach("dev.cairn.meta");
    try {
      MetaMeters.bind(nodes, tables, service.auditCounters(), metrics);
      Throughput throughput = new Throughput(service.rpcServer().traffic());
      StatusServer http = StatusServer.start(address, metrics::scrape,
          () -> MetaPage.render(service, MetaOverview.take(nodes, tables), throughput, events));
      return new MetaStatus(metrics, events, http);
    } catch (RuntimeException e) {
      events.close();
      metrics.close();
      throw e;
    }
  }

  /** Returns the bound address (the real port when 0 was asked for). */
  InetSocketAddress address() {
    return http.address();
  }

  @Override
  public void close() {
    http.close();
    events.close();
    metrics.close();
  }
}
