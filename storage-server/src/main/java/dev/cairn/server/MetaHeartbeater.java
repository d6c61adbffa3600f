package dev.cairn.server;

import static java.util.Objects.requireNonNull;

import dev.cairn.server.store.BlobStore;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.message.MetaMessages;
import dev.cairn.wire.message.MetaMessages.Heartbeat;
import dev.cairn.wire.message.MetaMessages.HeartbeatOk;
import dev.cairn.wire.rpc.Exchanges;
import dev.cairn.wire.rpc.RpcConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells every configured metadata service, every heartbeat interval, that this donor is alive,
 * how full it is and (when needed) which blobs it holds.
 *
 * <p>Each service has its own connection and its own scheduled task on its own thread, so a
 * service that is down or slow delays nobody else, and the donor keeps serving regardless. A
 * failed connect or heartbeat drops the connection and waits before the next attempt, doubling
 * the wait from one interval up to {@link #BACKOFF_MAX_MS} (or the interval, if longer), less up
 * to a quarter at random so that donors do not return in step ({@link #backoffMs}). The cap is
 * low because a restarted service lists a donor dead until it hears from it: a failed attempt
 * costs a refused connection, or one call timeout on this service's own thread. The first
 * failure is logged as a WARNING, repeats only at FINE, and the recovery at INFO, so a long
 * outage is two log lines.
 *
 * <p>Holdings (the sorted ids held) ride on the first heartbeat after each connect, whenever the
 * store's {@link BlobStore#changeCount()} moved since the last holdings the service acknowledged,
 * and when the last HEARTBEAT_OK asked for them. One heartbeat carries at most {@link
 * MetaMessages#IDS_MAX} ids, the smallest ones: a larger donor is seen partially until the
 * metadata service asks it with LIST_BLOBS.
 */
final class MetaHeartbeater implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(MetaHeartbeater.class.getName());
  /** Longest wait between attempts to reach a service that is down (a longer interval: it). */
  static final long BACKOFF_MAX_MS = 5_000;
  /** Longest a connect or a heartbeat may take before it counts as failed. */
  static final long CALL_TIMEOUT_MS_MAX = 10_000;

  private final SigningKey nodeKey;
  private final String advertisedAddress;
  private final String zone;
  private final BlobStore store;
  private final long intervalMs;
  private final EventLoopGroup group;
  private final ScheduledExecutorService scheduler;
  private final List<ServiceLink> links = new ArrayList<>();

  MetaHeartbeater(List<InetSocketAddress> services, SigningKey nodeKey, String advertisedAddress,
      String zone, BlobStore store, Duration interval) {
    this.nodeKey = requireNonNull(nodeKey, "nodeKey");
    this.advertisedAddress = requireNonNull(advertisedAddress, "advertisedAddress");
    this.zone = requireNonNull(zone, "zone");
    this.store = requireNonNull(store, "store");
    this.intervalMs = interval.toMillis();
    int threads = Math.max(1, services.size());
    this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.scheduler = Executors.newScheduledThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "cairn-heartbeat");
      thread.setDaemon(true);
      return thread;
    });
    for (InetSocketAddress service : services) {
      links.add(new ServiceLink(service));
    }
  }

  /** Starts sending; the first heartbeat goes out at once. */
  void start() {
    for (ServiceLink link : links) {
      scheduler.scheduleWithFixedDelay(link::beat, 0, intervalMs, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(CALL_TIMEOUT_MS_MAX, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    links.forEach(ServiceLink::disconnect);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /**
   * Returns, per metadata service ({@code host:port}), how long ago its last heartbeat went
   * through; -1 for one never reached since start.
   */
  java.util.Map<String, Duration> heartbeatAges() {
    java.util.Map<String, Duration> ages = new java.util.TreeMap<>();
    long now = System.nanoTime();
    for (ServiceLink link : links) {
      long ok = link.lastOkNanos;
      ages.put(dev.cairn.wire.HostPort.format(link.address),
          ok == NEVER ? Duration.ofNanos(-1) : Duration.ofNanos(now - ok));
    }
    return ages;
  }

  private static final long NEVER = Long.MIN_VALUE;

  /**
   * Returns the wait before the next attempt after a failure, for the current un-jittered
   * backoff and a uniform {@code random} in [0, 1): the backoff less up to a quarter of it.
   */
  static long backoffMs(long backoffMs, double random) {
    return backoffMs - (long) (backoffMs / 4 * random);
  }

  /**
   * Returns the un-jittered backoff after one more failure, from {@code backoffMs} (0: none
   * yet): one interval, then doubling, up to {@link #BACKOFF_MAX_MS} or the interval if longer.
   */
  static long backoffAfterOneMore(long backoffMs, long intervalMs) {
    return backoffMs == 0 ? intervalMs
        : Math.min(Math.max(BACKOFF_MAX_MS, intervalMs), backoffMs * 2);
  }

  private long callTimeoutMs() {
    return Math.min(CALL_TIMEOUT_MS_MAX, Math.max(1_000, intervalMs * 2));
  }

  /** The state of one metadata service; only its own scheduler task touches it. */
  private final class ServiceLink {
    private final InetSocketAddress address;
    private RpcConnection connection;
    private long holdingsAckedAt = -1; // changeCount of the holdings last acknowledged
    private boolean wantHoldings = true;
    private long backoffMs; // before jitter
    private long nextAttemptNanos = System.nanoTime();
    private boolean failing;
    /** When the last heartbeat went through ({@link System#nanoTime}); read by the page. */
    private volatile long lastOkNanos = NEVER;

    ServiceLink(InetSocketAddress address) {
      this.address = address;
    }

    void beat() {
      if (System.nanoTime() - nextAttemptNanos < 0) {
        return;
      }
      try {
        if (connection == null || !connection.isOpen()) {
          disconnect();
          connect();
        }
        send();
        lastOkNanos = System.nanoTime();
        recovered();
      } catch (Exception e) {
        if (Thread.currentThread().isInterrupted()) {
          return; // closing: the wait for a reply was interrupted, nothing failed
        }
        // Also checked exceptions Netty rethrows unchecked (a refused connect): any escape
        // would cancel this service's schedule for good.
        failed(e);
      }
    }

    private void connect() {
      InetSocketAddress resolved = address.isUnresolved()
          ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
      Hello ours = new Hello(PeerRole.STORAGE_NODE, nodeKey.publicKey().toBytes());
      connection = RpcConnection.connect(group, resolved, ours,
          Duration.ofMillis(callTimeoutMs()));
      wantHoldings = true; // a fresh connection may be a restarted service that forgot us
    }

    private void send() {
      long changes = store.changeCount();
      boolean withHoldings = wantHoldings || changes != holdingsAckedAt;
      ByteBuf payload = heartbeat(withHoldings);
      HeartbeatOk ok =
          Exchanges.HEARTBEAT.call(connection, payload, Duration.ofMillis(callTimeoutMs()));
      if (withHoldings) {
        holdingsAckedAt = changes;
      }
      wantHoldings = ok.wantHoldings();
    }

    private ByteBuf heartbeat(boolean withHoldings) {
      List<ContentId> holdings = withHoldings ? store.list(null, MetaMessages.IDS_MAX) : null;
      byte[] key = nodeKey.publicKey().toBytes();
      long now = System.currentTimeMillis(); // a timestamp for the receiver, not a timeout
      long capacity = store.capacityBytes();
      long used = store.usedBytes();
      long count = store.count();
      byte[] signature = nodeKey.sign(SignatureDomain.HEARTBEAT, Heartbeat.signedMessage(key,
          advertisedAddress, capacity, used, count, now, holdings, zone));
      Heartbeat heartbeat = new Heartbeat(key, advertisedAddress, capacity, used, count, now,
          holdings, zone, signature);
      ByteBuf payload = Unpooled.buffer();
      heartbeat.writeTo(payload);
      return payload;
    }

    private void recovered() {
      if (failing) {
        LOG.info("heartbeats to metadata service " + address + " go through again");
      }
      failing = false;
      backoffMs = 0;
    }

    private void failed(Exception e) {
      disconnect();
      backoffMs = backoffAfterOneMore(backoffMs, intervalMs);
      long waitMs = backoffMs(backoffMs, ThreadLocalRandom.current().nextDouble());
      nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
      Level level = failing ? Level.FINE : Level.WARNING;
      LOG.log(level, "heartbeat to metadata service " + address + " failed (" + e.getMessage()
          + "); retrying in " + waitMs + " ms, quietly until it works again");
      failing = true;
    }

    void disconnect() {
      if (connection != null) {
        connection.close();
        connection = null;
      }
    }
  }
}
