package dev.cairn.wire.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.message.LedgerMessages.Identify;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IDENTIFY (protocol.md 6.6) on a real server: a proof makes the HELLO key the connection's
 * proven key for every later request; a proof for another key, another server, an old clock
 * or with a forged signature is refused by name and leaves the connection open and unproved.
 */
class IdentifyTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final SigningKey server = SigningKey.generate(new SecureRandom());
  private final SigningKey reader = SigningKey.generate(new SecureRandom());
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private RpcServer rpc;

  @BeforeEach
  void start() throws InterruptedException {
    // STATS answers with the proven key, or nothing: what a handler would judge by.
    rpc = RpcServer.start("127.0.0.1", 0, new Hello(PeerRole.STORAGE_NODE,
        server.publicKey().toBytes()), (request, responder) -> {
          byte[] proven = responder.provenKey();
          responder.reply(FrameType.STATS_RESULT, Unpooled.wrappedBuffer(
              proven == null ? new byte[0] : proven));
        }, RpcServer.Options.defaults());
  }

  @AfterEach
  void stop() {
    rpc.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private RpcConnection connect(SigningKey claimed, SigningKey identity) {
    return RpcConnection.connect(group, rpc.address(), new Hello(PeerRole.CLIENT,
        claimed.publicKey().toBytes()), identity, TIMEOUT, null);
  }

  private static byte[] proven(RpcConnection connection) throws Exception {
    Frame reply = connection.call(FrameType.STATS, TIMEOUT).get(10, TimeUnit.SECONDS);
    try {
      byte[] bytes = new byte[reply.payload().readableBytes()];
      reply.payload().readBytes(bytes);
      return bytes;
    } finally {
      reply.release();
    }
  }

  @Test
  void aProofMakesTheHelloKeyTheConnectionsKey() throws Exception {
    try (RpcConnection proved = connect(reader, reader);
        RpcConnection claimed = RpcConnection.connect(group, rpc.address(),
            new Hello(PeerRole.CLIENT, reader.publicKey().toBytes()), TIMEOUT)) {
      assertArrayEquals(reader.publicKey().toBytes(), proven(proved));
      assertEquals(0, proven(claimed).length, "a HELLO key alone proves nothing");
    }
  }

  @Test
  void everyBadProofIsRefusedByNameAndProvesNothing() throws Exception {
    SigningKey other = SigningKey.generate(new SecureRandom());
    try (RpcConnection connection = RpcConnection.connect(group, rpc.address(),
        new Hello(PeerRole.CLIENT, reader.publicKey().toBytes()), TIMEOUT)) {
      long now = System.currentTimeMillis();
      byte[] mine = reader.publicKey().toBytes();
      byte[] theirs = server.publicKey().toBytes();
      assertRefused(connection, ErrorCode.UNAUTHORIZED, "HELLO",
          signed(other, other.publicKey().toBytes(), theirs, now));
      assertRefused(connection, ErrorCode.UNAUTHORIZED, "another server",
          signed(reader, mine, other.publicKey().toBytes(), now));
      assertRefused(connection, ErrorCode.UNAUTHORIZED, "clock",
          signed(reader, mine, theirs, now - 3_600_000));
      Identify forged = signed(other, mine, theirs, now); // names my key, signed by another
      assertRefused(connection, ErrorCode.BAD_SIGNATURE, "not signed", forged);
      assertEquals(0, proven(connection).length, "still unproved and still open");
    }
  }

  private static Identify signed(SigningKey signer, byte[] nodeKey, byte[] peerKey, long now) {
    return new Identify(nodeKey, peerKey, now, signer.sign(SignatureDomain.NODE_HELLO,
        Identify.signedMessage(nodeKey, peerKey, now)));
  }

  private static void assertRefused(RpcConnection connection, ErrorCode code, String why,
      Identify proof) {
    ByteBuf payload = Unpooled.buffer(Identify.BYTES);
    proof.writeTo(payload);
    CairnException e = assertThrows(CairnException.class,
        () -> Exchanges.IDENTIFY.call(connection, payload, TIMEOUT));
    assertEquals(code, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(why), why + " in " + e.getMessage());
  }
}
