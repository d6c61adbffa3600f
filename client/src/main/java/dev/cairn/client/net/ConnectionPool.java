package dev.cairn.client.net;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.BusyException;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.rpc.PeerBackoff;
import dev.cairn.wire.rpc.RpcConnection;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few {@link RpcConnection}s per peer address, shared by every caller of this client.
 *
 * <p>One connection already carries many requests at once (replies are paired by request id),
 * so a small fixed number per address is enough; callers are spread over them round robin.
 * A connection found closed is replaced on the next {@link #get}, so a restarted peer is
 * reached again without the caller noticing more than the one failed request. Connecting
 * blocks; never call {@link #get} on a Netty event loop.
 *
 * <p>Unresponsive peers are remembered ({@link PeerBackoff}): a connect or handshake that timed
 * out, a BUSY refusal, or a call timeout a caller reports with {@link #unresponsive} makes
 * {@link #get} fail fast with BUSY for a backoff period instead of waiting for another timeout,
 * then lets one probe through. So a hung donor costs each client one timeout per period.
 */
public final class ConnectionPool implements AutoCloseable {
  /** Connections kept per address unless configured otherwise. */
  public static final int CONNECTIONS_PER_ADDRESS_DEFAULT = 2;
  /** I/O threads of the pool's own event loop group. */
  private static final int IO_THREADS = 2;
  private static final long SHUTDOWN_QUIET_MS = 0;
  private static final long SHUTDOWN_TIMEOUT_MS = 2000;

  private final EventLoopGroup group;
  private final Hello ours;
  /** The node key proved to donors (IDENTIFY), or null for an anonymous reader. */
  private final SigningKey identity;
  private final Duration connectTimeout;
  private final int connectionsPerAddress;
  private final Map<InetSocketAddress, Slots> byAddress = new ConcurrentHashMap<>();
  private final PeerBackoff backoff = new PeerBackoff();
  private volatile boolean closed;

  /** Creates a pool that says HELLO as a client without a key. */
  public ConnectionPool(Duration connectTimeout, int connectionsPerAddress) {
    this(connectTimeout, connectionsPerAddress, null);
  }

  /**
   * Creates a pool that says HELLO as a client with {@code identity}'s key and proves it to
   * every donor (IDENTIFY, docs/protocol.md 6.6), so that donors' reader policies and receipts
   * see this node; null for an anonymous reader.
   */
  public ConnectionPool(Duration connectTimeout, int connectionsPerAddress,
      SigningKey identity) {
    this.identity = identity;
    this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout");
    if (connectionsPerAddress < 1) {
      throw new IllegalArgumentException("connectionsPerAddress must be at least 1");
    }
    this.connectionsPerAddress = connectionsPerAddress;
    this.ours = new Hello(PeerRole.CLIENT,
        identity == null ? null : identity.publicKey().toBytes());
    // Daemon threads: a pool lives as long as a driver's runtime, which an application never
    // closes, and must not keep that application's JVM from exiting.
    this.group = new MultiThreadIoEventLoopGroup(IO_THREADS,
        new DefaultThreadFactory("cairn-client-io", true), NioIoHandler.newFactory());
  }

  /** Creates a pool with the default connection count. */
  public ConnectionPool(Duration connectTimeout) {
    this(connectTimeout, CONNECTIONS_PER_ADDRESS_DEFAULT);
  }

  /** Returns an open connection to {@code address}, connecting or reconnecting as needed. */
  public RpcConnection get(InetSocketAddress address) {
    requireNonNull(address, "address");
    if (closed) {
      throw new CairnException(ErrorCode.IO_ERROR, "the connection pool is closed");
    }
    return byAddress.computeIfAbsent(address, a -> new Slots(connectionsPerAddress)).next(address);
  }

  /** Closes every connection to {@code address}, e.g. after it answered with garbage. */
  public void discard(InetSocketAddress address) {
    Slots slots = byAddress.remove(address);
    if (slots != null) {
      slots.closeAll();
    }
  }

  /** Returns which peers this pool is leaving alone for now, to order holders by it. */
  public PeerBackoff backoff() {
    return backoff;
  }

  /**
   * Records that a call to {@code address} timed out: its connections are closed (they carry
   * a hung peer's requests) and it backs off like after a handshake timeout.
   */
  public void unresponsive(InetSocketAddress address) {
    backoff.unresponsive(address);
    discard(address);
  }

  /**
   * Connects unless the peer is backing off (BUSY at once); RpcConnection lets a refused
   * connection escape as a checked exception thrown unchecked (Netty's sync), so anything not
   * already a CairnException becomes IO_ERROR here. A timeout or BUSY opens a backoff window.
   */
  private RpcConnection connect(InetSocketAddress address) {
    backoff.admit(address);
    try {
      RpcConnection connection = RpcConnection.connect(group, address, ours, identity,
          connectTimeout, null);
      backoff.answered(address);
      return connection;
    } catch (CairnException e) {
      settle(address, e);
      throw e;
    } catch (Exception e) {
      CairnException failure = new CairnException(ErrorCode.IO_ERROR, "cannot reach "
          + HostPort.format(address) + ": " + e.getMessage(), e);
      settle(address, failure);
      throw failure;
    }
  }

  /** Opens a backoff window after a timeout or BUSY; a quick failure only ends a probe. */
  private void settle(InetSocketAddress address, CairnException failure) {
    if (failure.code() != ErrorCode.BUSY) {
      backoff.probeEnded(address);
    } else if (failure instanceof BusyException hinted) {
      backoff.busy(address, hinted.retryAfterMillis());
    } else {
      backoff.unresponsive(address);
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Slots slots : byAddress.values()) {
      slots.closeAll();
    }
    byAddress.clear();
    group.shutdownGracefully(SHUTDOWN_QUIET_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .syncUninterruptibly();
  }

  /** The connections to one address; each slot is (re)connected under its own lock. */
  private final class Slots {
    private final List<RpcConnection> connections;
    private final Object[] locks;
    private final AtomicInteger turn = new AtomicInteger();

    Slots(int count) {
      connections = new ArrayList<>(count);
      locks = new Object[count];
      for (int i = 0; i < count; i++) {
        connections.add(null);
        locks[i] = new Object();
      }
    }

    RpcConnection next(InetSocketAddress address) {
      int slot = Math.floorMod(turn.getAndIncrement(), locks.length);
      synchronized (locks[slot]) {
        RpcConnection current;
        synchronized (connections) {
          current = connections.get(slot);
        }
        if (current != null && current.isOpen()) {
          return current;
        }
        if (current != null) {
          current.close();
        }
        RpcConnection fresh = connect(address);
        synchronized (connections) {
          connections.set(slot, fresh);
        }
        return fresh;
      }
    }

    void closeAll() {
      synchronized (connections) {
        for (int i = 0; i < connections.size(); i++) {
          if (connections.get(i) != null) {
            connections.get(i).close();
            connections.set(i, null);
          }
        }
      }
    }
  }
}
