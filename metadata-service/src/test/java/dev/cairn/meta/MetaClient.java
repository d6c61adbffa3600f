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
import dev.cairn.wire.rpc.RpcConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/** A real protocol client of a metadata service for tests: one RpcConnection, typed calls. */
final class MetaClient implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final RpcConnection connection;

  MetaClient(EventLoopGroup group, InetSocketAddress address) {
    connection = RpcConnection.connect(group, address, new Hello(PeerRole.CLIENT, null), TIMEOUT);
  }

  RpcConnection connection() {
    return connection;
  }

  /** Sends a request; returns a copy of the reply payload, or throws the ERROR it got. */
  ByteBuf call(FrameType type, Consumer<ByteBuf> writer) {
    ByteBuf payload = Unpooled.buffer();
    writer.accept(payload);
    Frame reply;
    try {
      reply = connection.call(type, payload, TIMEOUT).join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
    try {
      return Unpooled.copiedBuffer(reply.payload());
    } finally {
      reply.release();
    }
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
    return HeadOk.decode(call(FrameType.PUBLISH_HEAD, new PublishHead(encoded)::writeTo));
  }

  Heads head(String schema, String table, long version) {
    return Heads.decode(call(FrameType.GET_HEAD, new GetHead(schema, table, version)::writeTo));
  }

  Heads versions(String schema, String table) {
    return Heads.decode(call(FrameType.GET_VERSIONS, new GetHead(schema, table, 0)::writeTo));
  }

  Heads tables() {
    return Heads.decode(call(FrameType.LIST_TABLES, b -> { }));
  }

  HeartbeatOk heartbeat(Heartbeat beat) {
    return HeartbeatOk.decode(call(FrameType.HEARTBEAT, beat::writeTo));
  }

  Nodes nodes() {
    return Nodes.decode(call(FrameType.LIST_NODES, b -> { }));
  }

  PlacementResult placement(int replicas, List<ContentId> ids) {
    return PlacementResult.decode(
        call(FrameType.PLACEMENT, new PlacementRequest(replicas, ids)::writeTo));
  }

  @Override
  public void close() {
    connection.close();
  }
}
