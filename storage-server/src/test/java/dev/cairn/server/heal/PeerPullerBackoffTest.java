package dev.cairn.server.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.server.heal.ClusterView.Need;
import dev.cairn.server.heal.ClusterView.Peer;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.rpc.PeerBackoff;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Goal: a repair source that accepts connections and never answers (a hung peer) costs a
 * donor one handshake timeout, then fails fast while it backs off, and is ordered after the
 * peers that answer. Counted at the hung peer, never timed.
 */
class PeerPullerBackoffTest {
  private static final int PULLS = 20;

  @Test
  void aHungPeerCostsOneTimeoutThenFailsFastAndIsOrderedLast() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    AtomicInteger accepted = new AtomicInteger();
    List<Socket> held = new ArrayList<>();
    try (ServerSocket hung = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (!hung.isClosed()) {
          try {
            Socket socket = hung.accept(); // kept open, never answered: an adversary
            accepted.incrementAndGet();
            synchronized (held) {
              held.add(socket);
            }
          } catch (java.io.IOException closed) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      SigningKey ours = SigningKey.generate(new SecureRandom());
      Peer silent = new Peer(SigningKey.generate(new SecureRandom()).publicKey(),
          "127.0.0.1:" + hung.getLocalPort(), 1 << 30, NodeInfo.SCORE_PERFECT,
          NodeStanding.ACTIVE, "zone-silent");
      Peer other = new Peer(SigningKey.generate(new SecureRandom()).publicKey(),
          "127.0.0.1:1", 1 << 30, NodeInfo.SCORE_PERFECT, NodeStanding.ACTIVE, "zone-other");
      Need need = new Need(ContentId.of(new byte[] {7}), "writer", 3, 1);
      try (PeerPuller puller = new PeerPuller(group, new Hello(PeerRole.STORAGE_NODE,
          ours.publicKey().toBytes()), Duration.ofMillis(300), new RateLimiter(0), null)) {
        CairnException first = assertThrows(CairnException.class,
            () -> puller.fetch(need, silent));
        assertEquals(ErrorCode.BUSY, first.code(), first.getMessage());
        for (int i = 0; i < PULLS; i++) {
          CairnException again = assertThrows(CairnException.class,
              () -> puller.fetch(need, silent));
          assertInstanceOf(PeerBackoff.BackedOffException.class, again, again.getMessage());
        }
        assertEquals(1, accepted.get(), "one handshake paid for " + (PULLS + 1) + " pulls");
        assertEquals(List.of(other, silent), puller.ordered(List.of(silent, other)));
      }
    } finally {
      synchronized (held) {
        for (Socket socket : held) {
          socket.close();
        }
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
