package dev.cairn.wire.status;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves {@code GET /metrics} (Prometheus text format 0.0.4) and {@code GET /} (the status page,
 * HTML) on the operator's metrics address, with the JDK's built-in HTTP server.
 *
 * <p>Read-only and separate from the Cairn protocol port: one daemon thread answers one request
 * at a time, so a scraper or a browser can never take a worker from the serving path. Nothing
 * is read from a request but its method and path. The page may not load anything from
 * elsewhere (a Content-Security-Policy says so to the browser).
 */
public final class StatusServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StatusServer.class.getName());
  /** The content type Prometheus expects for its text exposition format. */
  public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String PAGE_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'";

  private final HttpServer http;
  private final ExecutorService executor;

  private StatusServer(HttpServer http, ExecutorService executor) {
    this.http = http;
    this.executor = executor;
  }

  /**
   * Binds {@code address} (port 0 picks a free one) and serves {@code metrics} and {@code page},
   * each rendered afresh per request. IO_ERROR naming the address when it cannot be bound.
   */
  public static StatusServer start(HostPort address, Supplier<String> metrics,
      Supplier<String> page) {
    requireNonNull(metrics, "metrics");
    requireNonNull(page, "page");
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(address.host(), address.port()), 16);
    } catch (IOException | RuntimeException e) {
      throw new CairnException(ErrorCode.IO_ERROR, "cannot serve metrics on " + address + ": "
          + e.getMessage(), e);
    }
    ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "cairn-status-http");
      thread.setDaemon(true);
      return thread;
    });
    http.setExecutor(executor);
    http.createContext("/", exchange -> answer(exchange, metrics, page));
    http.start();
    return new StatusServer(http, executor);
  }

  private static void answer(HttpExchange exchange, Supplier<String> metrics,
      Supplier<String> page) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "read-only: GET or HEAD\n");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      boolean isPage = path.equals("/") || path.equals("/index.html");
      if (!isPage && !path.equals("/metrics")) {
        send(exchange, 404, "text/plain; charset=utf-8", "not found; try / or /metrics\n");
        return;
      }
      String body;
      try {
        body = isPage ? page.get() : metrics.get();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "rendering " + path + " failed", e);
        send(exchange, 500, "text/plain; charset=utf-8", "failed: "
            + e.getClass().getSimpleName() + "\n");
        return;
      }
      if (isPage) {
        exchange.getResponseHeaders().set("Content-Security-Policy", PAGE_POLICY);
        send(exchange, 200, "text/html; charset=utf-8", body);
      } else {
        send(exchange, 200, METRICS_CONTENT_TYPE, body);
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Returns the bound address (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return http.getAddress();
  }

  /** Stops serving; a request being answered gets up to a second to finish. */
  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
