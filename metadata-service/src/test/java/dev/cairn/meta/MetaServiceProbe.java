package dev.cairn.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.manifest.HeadTimestamp;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.message.MetaMessages.ClaimName;
import dev.cairn.wire.message.MetaMessages.GetHead;
import dev.cairn.wire.message.MetaMessages.HeadOk;
import dev.cairn.wire.message.MetaMessages.Heads;
import dev.cairn.wire.message.MetaMessages.Heartbeat;
import dev.cairn.wire.message.MetaMessages.HeartbeatOk;
import dev.cairn.wire.message.MetaMessages.Nodes;
import dev.cairn.wire.message.MetaMessages.PlacementRequest;
import dev.cairn.wire.message.MetaMessages.PlacementResult;
import dev.cairn.wire.message.MetaMessages.PublishHead;
import dev.cairn.wire.message.MetaMessages.PublishTimestamp;
import dev.cairn.wire.message.MetaMessages.TimestampOk;
import dev.cairn.wire.rpc.Calls;
import dev.cairn.wire.rpc.Exchange;
import dev.cairn.wire.rpc.Exchanges;
import dev.cairn.wire.rpc.RpcConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A hand-written protocol client that tests point at one metadata service: typed calls through
 * {@link Exchanges}, and {@link #call} for frames the real client never sends. Not the client
 * module's {@code MetaClient}, which fans out over many services and verifies what they say.
 */
final class MetaServiceProbe implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /**
   * One event loop for every probe in the test JVM: its daemon thread ends with the JVM, so no
   * test class has to start and stop a group of its own.
   */
  private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1,
      new DefaultThreadFactory("meta-service-probe", true), NioIoHandler.newFactory());

  private final RpcConnection connection;

  MetaServiceProbe(InetSocketAddress address) {
    connection = RpcConnection.connect(GROUP, address, new Hello(PeerRole.CLIENT, null), TIMEOUT);
  }

  RpcConnection connection() {
    return connection;
  }

  /** Sends any request; returns a copy of the reply payload, or throws the ERROR it got. */
  ByteBuf call(FrameType type, Consumer<ByteBuf> writer) {
    Frame reply = Calls.await(connection.call(type, payload(writer), TIMEOUT), TIMEOUT);
    try {
      return Unpooled.copiedBuffer(reply.payload());
    } finally {
      reply.release();
    }
  }

  private <T> T call(Exchange<T> exchange, Consumer<ByteBuf> writer) {
    return exchange.call(connection, payload(writer), TIMEOUT);
  }

  private static ByteBuf payload(Consumer<ByteBuf> writer) {
    ByteBuf payload = Unpooled.buffer();
    writer.accept(payload);
    return payload;
  }

  /** Asserts that {@code call} fails with {@code code} and returns the error. */
  static CairnException expect(ErrorCode code, Runnable call) {
    CairnException error = assertThrows(CairnException.class, call::run);
    assertEquals(code, error.code(), error.getMessage());
    return error;
  }

  void claim(SigningKey key, String name) {
    byte[] signature = key.sign(SignatureDomain.CLAIM_NAME, ClaimName.signedMessage(name));
    claim(new ClaimName(name, key.publicKey().toBytes(), signature));
  }

  void claim(ClaimName claim) {
    ByteBuf reply = call(FrameType.CLAIM_NAME, claim::writeTo);
    assertEquals(0, reply.readableBytes(), "NAME_OK is empty");
  }

  HeadOk publish(SignedManifest manifest) {
    return publish(manifest.encoded());
  }

  HeadOk publish(byte[] encoded) {
    return call(Exchanges.PUBLISH_HEAD, new PublishHead(encoded)::writeTo);
  }

  TimestampOk timestamp(HeadTimestamp timestamp) {
    return timestamp(timestamp.encoded());
  }

  TimestampOk timestamp(byte[] encoded) {
    return call(Exchanges.PUBLISH_TIMESTAMP, new PublishTimestamp(encoded)::writeTo);
  }

  Heads head(String schema, String table, long version) {
    return call(Exchanges.GET_HEAD, new GetHead(schema, table, version)::writeTo);
  }

  Heads versions(String schema, String table) {
    return call(Exchanges.GET_VERSIONS, new GetHead(schema, table, 0)::writeTo);
  }

  Heads tables() {
    return call(Exchanges.LIST_TABLES, b -> { });
  }

  HeartbeatOk heartbeat(Heartbeat beat) {
    return call(Exchanges.HEARTBEAT, beat::writeTo);
  }

  Nodes nodes() {
    return call(Exchanges.LIST_NODES, b -> { });
  }

  PlacementResult placement(int replicas, List<ContentId> ids) {
    return call(Exchanges.PLACEMENT, new PlacementRequest(replicas, ids)::writeTo);
  }

  @Override
  public void close() {
    connection.close();
  }
}
