package dev.cairn.spark;

import dev.cairn.client.fetch.FetchOptions;
import dev.cairn.client.fetch.FetchScheduler;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The network side of one JVM (driver or executor) for one list of metadata services: a
 * connection pool, a metadata client and one fetch scheduler that every task of the JVM shares,
 * so holder rankings, back-offs and hedging history carry over from task to task. Created on
 * first use and kept for the JVM's life (its threads are daemons), as Spark reuses executors.
 */
final class CairnClients {
  private static final Logger LOG = Logger.getLogger(CairnClients.class.getName());
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration META_CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final Map<List<String>, CairnClients> SHARED = new ConcurrentHashMap<>();
  private static final BufferAllocator ALLOCATOR = new RootAllocator(Long.MAX_VALUE);

  private final ConnectionPool pool;
  private final MetaClient meta;
  private final FetchScheduler scheduler;

  private CairnClients(List<InetSocketAddress> services) {
    this.pool = new ConnectionPool(CONNECT_TIMEOUT);
    this.meta = new MetaClient(pool, services, META_CALL_TIMEOUT);
    this.scheduler = new FetchScheduler(pool, FetchOptions.defaults(),
        (holder, id, why) -> {
          ReadCounters.badHolder();
          LOG.log(Level.WARNING, "donor " + HostPort.format(holder) + " served bad bytes for "
              + id.toShortHex() + ": " + why.getMessage());
        });
  }

  /** Returns this JVM's clients of {@code metaServices} ({@code host:port} texts). */
  static CairnClients of(List<String> metaServices) {
    return SHARED.computeIfAbsent(List.copyOf(metaServices), CairnClients::start);
  }

  private static CairnClients start(List<String> metaServices) {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String text : metaServices) {
      addresses.add(HostPort.parse(text).resolve());
    }
    return new CairnClients(addresses);
  }

  /** Splits the {@code meta} option ({@code host:port,...}); BAD_FORMAT if it is missing. */
  static List<String> parseMetaOption(String option) {
    if (option == null || option.isBlank()) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "option 'meta' (host:port of metadata services, comma-separated) is required");
    }
    List<String> out = new ArrayList<>();
    for (String part : option.split(",")) {
      String trimmed = part.trim();
      if (!trimmed.isEmpty()) {
        HostPort.parse(trimmed); // fails early, on the driver, naming what is wrong
        out.add(trimmed);
      }
    }
    return List.copyOf(out);
  }

  /** Returns the metadata client. */
  MetaClient meta() {
    return meta;
  }

  /** Returns the fetch scheduler every task of this JVM shares. */
  FetchScheduler scheduler() {
    return scheduler;
  }

  /** Returns the allocator decoded batches of this JVM live in. */
  static BufferAllocator allocator() {
    return ALLOCATOR;
  }
}
