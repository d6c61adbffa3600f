package dev.cairn.wire.status;

import dev.cairn.wire.HostPort;
import dev.cairn.wire.rpc.RpcServer;
import java.net.InetSocketAddress;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * A server's metrics endpoint and status page on the operator's {@code metrics} address:
 * {@code /metrics} in the Prometheus text format, {@code /} as HTML. Owns the meters, the log
 * handler keeping recent events and the HTTP server; started after the server serves and
 * closed before it stops, and nothing is left attached when the start fails.
 */
public final class StatusEndpoint implements AutoCloseable {
  private final ServerMetrics metrics;
  private final RecentEvents events;
  private final StatusServer http;

  private StatusEndpoint(ServerMetrics metrics, RecentEvents events, StatusServer http) {
    this.metrics = metrics;
    this.events = events;
    this.http = http;
  }

  /**
   * Serves {@code rpc}'s metrics, with the meters {@code bindMeters} adds, and the page {@code
   * page} renders (from the traffic rates and the events logged under {@code loggerName}) on
   * {@code address}; IO_ERROR if it cannot bind.
   */
  public static StatusEndpoint start(RpcServer rpc, String loggerName, HostPort address,
      Consumer<ServerMetrics> bindMeters, BiFunction<Throughput, RecentEvents, String> page) {
    ServerMetrics metrics = new ServerMetrics(rpc);
    RecentEvents events = RecentEvents.attach(loggerName);
    try {
      bindMeters.accept(metrics);
      Throughput throughput = new Throughput(rpc.traffic());
      StatusServer http = StatusServer.start(address, metrics::scrape,
          () -> page.apply(throughput, events));
      return new StatusEndpoint(metrics, events, http);
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
