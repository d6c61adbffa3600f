package dev.cairn.wire.status;

import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.rpc.RpcServer;
import dev.cairn.wire.rpc.TrafficCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * One server's Prometheus registry (Micrometer): JVM basics, the protocol server's traffic per
 * request type and refusals per error code, plus whatever the server binds itself through
 * {@link #registry} and {@link #beforeScrape}.
 *
 * <p>Every meter reads a counter the server keeps anyway, at scrape time (function counters and
 * gauges): the serving path pays nothing for being measured. Series for a frame type or error
 * code appear once it was first seen, so a scrape lists what happened, not 70 zeros.
 */
public final class ServerMetrics implements AutoCloseable {
  /** Requests received, by {@code type}. */
  public static final String REQUESTS = "cairn_rpc_requests_total";
  /** Request payload bytes received, by {@code type}. */
  public static final String RECEIVED_BYTES = "cairn_rpc_received_bytes_total";
  /** Reply payload bytes sent, by the {@code type} of the request answered. */
  public static final String SENT_BYTES = "cairn_rpc_sent_bytes_total";
  /** ERROR replies, by error {@code code}. */
  public static final String REFUSALS = "cairn_rpc_refusals_total";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final TrafficCounters traffic;
  private final Set<FrameType> typesBound = EnumSet.noneOf(FrameType.class);
  private final Set<ErrorCode> codesBound = EnumSet.noneOf(ErrorCode.class);
  private final List<Runnable> beforeScrape = new ArrayList<>();

  /** Creates the registry with JVM meters and {@code rpc}'s connection and traffic meters. */
  public ServerMetrics(RpcServer rpc) {
    this.traffic = rpc.traffic();
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    Gauge.builder("cairn.rpc.connections.open", rpc, RpcServer::openConnections)
        .description("Protocol connections open now").register(registry);
    FunctionCounter.builder("cairn.rpc.connections.refused", rpc, RpcServer::refusedConnections)
        .description("Connections refused with BUSY by the connection limits")
        .register(registry);
    FunctionCounter.builder("cairn.rpc.connections.evicted", rpc, RpcServer::evictedConnections)
        .description("Connections that had made no request, closed to make room")
        .register(registry);
  }

  /** Returns the registry, for the server's own meters. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Runs {@code step} before every scrape, e.g. to refresh per-writer or per-table rows. */
  public synchronized void beforeScrape(Runnable step) {
    beforeScrape.add(step);
  }

  /** Returns every series in the Prometheus text format, refreshed now. */
  public synchronized String scrape() {
    bindNewTraffic();
    beforeScrape.forEach(Runnable::run);
    return registry.scrape();
  }

  private void bindNewTraffic() {
    traffic.requestsSeen().keySet().forEach(type -> {
      if (typesBound.add(type)) {
        FunctionCounter.builder("cairn.rpc.requests", traffic, t -> t.requests(type))
            .tag("type", type.name()).description("Requests received, by frame type")
            .register(registry);
        FunctionCounter.builder("cairn.rpc.received", traffic, t -> t.bytesIn(type))
            .baseUnit("bytes").tag("type", type.name())
            .description("Request payload bytes received, by frame type").register(registry);
        FunctionCounter.builder("cairn.rpc.sent", traffic, t -> t.bytesOut(type))
            .baseUnit("bytes").tag("type", type.name())
            .description("Reply payload bytes sent, by the frame type of the request")
            .register(registry);
      }
    });
    traffic.refusalsSeen().keySet().forEach(code -> {
      if (codesBound.add(code)) {
        FunctionCounter.builder("cairn.rpc.refusals", traffic, t -> t.refusals(code))
            .tag("code", code.name()).description("ERROR replies, by error code")
            .register(registry);
      }
    });
  }

  /**
   * Returns the series name {@code name{label="value",...}} as the text format writes it
   * (labels in the order given, which must be alphabetical), for the page's {@code
   * data-metric} attributes.
   */
  public static String series(String name, String... labelsAndValues) {
    if (labelsAndValues.length == 0) {
      return name;
    }
    StringJoiner labels = new StringJoiner(",", name + "{", "}");
    for (int i = 0; i + 1 < labelsAndValues.length; i += 2) {
      labels.add(labelsAndValues[i] + "=\"" + labelsAndValues[i + 1].replace("\\", "\\\\")
          .replace("\"", "\\\"").replace("\n", "\\n") + "\"");
    }
    return labels.toString();
  }

  /** Unbinds the garbage collection listener and closes the registry. */
  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
