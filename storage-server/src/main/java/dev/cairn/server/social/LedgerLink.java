package dev.cairn.server.social;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.message.LedgerMessages.GetLedger;
import dev.cairn.wire.message.LedgerMessages.LedgerResult;
import dev.cairn.wire.message.LedgerMessages.Receipt;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A donor's connections to its metadata services for the social contract: it asks them for
 * readers' ledger entries (GET_LEDGER) and sends them its receipts (RECEIPT). One connection
 * per service, opened on first use and again after a failure; it also learns each service's
 * HELLO key, so that the services' audits count as peer traffic.
 */
final class LedgerLink implements AutoCloseable {
  /** How long one call may take. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

  private final List<InetSocketAddress> services;
  private final SigningKey nodeKey;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
      NioIoHandler.newFactory());
  private final Map<InetSocketAddress, RpcConnection> connections = new HashMap<>();
  private final Set<PublicKey> serviceKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();

  LedgerLink(List<InetSocketAddress> services, SigningKey nodeKey) {
    this.services = List.copyOf(services);
    this.nodeKey = requireNonNull(nodeKey, "nodeKey");
  }

  /** Returns how many metadata services this donor reports to. */
  int serviceCount() {
    return services.size();
  }

  /** Returns whether {@code key} is the HELLO key of a metadata service this donor reached. */
  boolean isService(PublicKey key) {
    return serviceKeys.contains(key);
  }

  /**
   * Returns the ledger entries of {@code keys} from the first service that answers; throws the
   * last service's error when none does.
   */
  LedgerResult ledger(List<PublicKey> keys) {
    CairnException last = null;
    for (InetSocketAddress address : services) {
      try {
        ByteBuf payload = Unpooled.buffer();
        new GetLedger(keys.stream().map(PublicKey::toBytes).toList()).writeTo(payload);
        return Exchanges.GET_LEDGER.call(connection(address), payload, CALL_TIMEOUT);
      } catch (CairnException e) {
        drop(address);
        last = e;
      }
    }
    throw last != null ? last : new CairnException(dev.cairn.wire.ErrorCode.NOT_FOUND,
        "this donor names no metadata service to ask for readers' ledgers");
  }

  /**
   * Sends {@code receipt} to every service; returns the errors of those that refused or could
   * not be reached (empty when every one took it).
   */
  List<CairnException> send(Receipt receipt) {
    List<CairnException> errors = new ArrayList<>();
    for (InetSocketAddress address : services) {
      try {
        ByteBuf payload = Unpooled.buffer(Receipt.BYTES);
        receipt.writeTo(payload);
        Exchanges.RECEIPT.call(connection(address), payload, CALL_TIMEOUT);
      } catch (CairnException e) {
        if (e.code() != dev.cairn.wire.ErrorCode.BAD_RECEIPT) {
          drop(address);
        }
        errors.add(e);
      }
    }
    return errors;
  }

  private synchronized RpcConnection connection(InetSocketAddress address) {
    RpcConnection connection = connections.get(address);
    if (connection != null && connection.isOpen()) {
      return connection;
    }
    InetSocketAddress resolved = address.isUnresolved()
        ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
    connection = RpcConnection.connect(group, resolved,
        new Hello(PeerRole.STORAGE_NODE, nodeKey.publicKey().toBytes()), CALL_TIMEOUT);
    if (connection.peer().hasKey()) {
      serviceKeys.add(PublicKey.fromBytes(connection.peer().nodeKey()));
    }
    connections.put(address, connection);
    return connection;
  }

  private synchronized void drop(InetSocketAddress address) {
    RpcConnection connection = connections.remove(address);
    if (connection != null) {
      connection.close();
    }
  }

  @Override
  public synchronized void close() {
    new HashSet<>(connections.keySet()).forEach(this::drop);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
