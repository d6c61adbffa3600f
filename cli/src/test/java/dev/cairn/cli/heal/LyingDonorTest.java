package dev.cairn.cli.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.fetch.FetchOptions;
import dev.cairn.client.fetch.FetchRequest;
import dev.cairn.client.fetch.FetchScheduler;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.meta.AuditSchedule;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.message.BlobMessages.BlobData;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import dev.cairn.wire.message.MetaMessages.Heartbeat;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;
import dev.cairn.wire.rpc.Responder;
import dev.cairn.wire.rpc.RpcConnection;
import dev.cairn.wire.rpc.RpcServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a node that registers like a donor (signed heartbeats claiming every blob) but serves
 * altered bytes for every GET cannot get a corrupt byte into a reader or a peer: readers fail
 * over, peers reject and report it, the metadata service's audits (it cannot prove a single
 * chunk) disqualify it, and the data heals from honest donors.
 */
class LyingDonorTest {
  @TempDir Path dir;

  /** The liar: a real protocol server that flips one byte of every range it serves. */
  private static final class Liar implements AutoCloseable {
    final SigningKey key = HealFixtures.newKey();
    final Map<ContentId, byte[]> blobs = new HashMap<>();
    final AtomicLong served = new AtomicLong();
    /** GETs from readers (HELLO role CLIENT), as opposed to peers' pulls and spot checks. */
    final AtomicLong servedToReaders = new AtomicLong();
    final RpcServer server;
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
    RpcConnection meta;

    Liar(Map<ContentId, byte[]> copies) throws InterruptedException {
      blobs.putAll(copies);
      server = RpcServer.start("127.0.0.1", 0, new Hello(PeerRole.STORAGE_NODE,
          key.publicKey().toBytes()), this::handle, RpcServer.Options.defaults());
    }

    private void handle(Frame request, Responder responder) {
      if (request.type() != FrameType.GET_BLOB) {
        throw new CairnException(ErrorCode.UNKNOWN_TYPE, "liar serves GET_BLOB only");
      }
      GetBlob get = GetBlob.decode(request.payload());
      byte[] blob = blobs.get(get.id());
      if (blob == null) {
        throw new CairnException(ErrorCode.NOT_FOUND, "not here");
      }
      int offset = (int) Math.min(get.offset(), blob.length);
      int count = get.length() == 0 ? blob.length - offset
          : (int) Math.min(get.length(), blob.length - offset);
      ByteBuf payload = BlobData.prefix(responder.alloc(), blob.length);
      ByteBuf all = Unpooled.wrappedBuffer(payload, Unpooled.copiedBuffer(blob, offset, count));
      if (count > 0) {
        int at = BlobData.PREFIX_BYTES + count / 2;
        all.setByte(at, all.getByte(at) ^ 0x5a); // the lie: one altered byte, same size
      }
      served.incrementAndGet();
      if (responder.peer().role() == PeerRole.CLIENT) {
        servedToReaders.incrementAndGet();
      }
      responder.reply(FrameType.BLOB_DATA, all);
    }

    void register(InetSocketAddress metaAddress) {
      meta = RpcConnection.connect(group, metaAddress, new Hello(PeerRole.STORAGE_NODE,
          key.publicKey().toBytes()), HealFixtures.TIMEOUT);
      beats.scheduleWithFixedDelay(this::beat, 0, 200, TimeUnit.MILLISECONDS);
    }

    private void beat() {
      byte[] nodeKey = key.publicKey().toBytes();
      String address = "127.0.0.1:" + server.address().getPort();
      List<ContentId> holdings = new ArrayList<>(blobs.keySet());
      holdings.sort(null);
      long now = System.currentTimeMillis();
      byte[] signature = key.sign(SignatureDomain.HEARTBEAT, Heartbeat.signedMessage(nodeKey,
          address, 1L << 40, 0, holdings.size(), now, holdings, address));
      ByteBuf payload = Unpooled.buffer();
      new Heartbeat(nodeKey, address, 1L << 40, 0, holdings.size(), now, holdings, address,
          signature).writeTo(payload);
      try {
        meta.call(FrameType.HEARTBEAT, payload, HealFixtures.TIMEOUT).join().release();
      } catch (RuntimeException e) {
        // the test's assertions notice a liar that is not registered
      }
    }

    @Override
    public void close() {
      beats.shutdownNow();
      if (meta != null) {
        meta.close();
      }
      server.close();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDonorServingAlteredBytesIsRejectedReportedAndAvoided() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), HealFixtures.options(4)
        .withAudit(AuditSchedule.every(Duration.ofMillis(200))))) {
      Manifest manifest = HealFixtures.publish(cluster, dir, HealFixtures.newKey(), "erin",
          "facts", 30_000);
      long total = manifest.batches().stream().mapToLong(BatchRef::byteSize).sum();
      HealFixtures.awaitExactCopies(cluster, Set.of(), manifest, 3);
      Map<ContentId, byte[]> copies = new HashMap<>();
      for (BatchRef batch : manifest.batches()) {
        for (StorageServer server : cluster.servers()) {
          if (server.store().contains(batch.id())) {
            copies.put(batch.id(), server.store().read(batch.id()));
          }
        }
      }
      try (Liar liar = new Liar(copies)) {
        liar.register(cluster.metaAddress());
        cluster.awaitLiveNodes(5);
        readersFailOverFromTheLiar(cluster, liar, manifest);

        cluster.stopServer(0); // honest copies must now come from peers, the liar among them
        Set<Integer> stopped = new HashSet<>(Set.of(0));
        // The liar's claimed holdings are listed by the service, so count honest copies only.
        HealFixtures.awaitExactCopies(cluster, stopped, manifest, 3, false);
        assertTrue(Await.eventually(HealFixtures.HEAL_WAIT,
            () -> info(cluster, liar).score() < NodeInfo.SCORE_PERFECT),
            "the liar's reputation dropped");
        for (StorageServer server : cluster.servers().subList(1, 4)) {
          for (BatchRef batch : manifest.batches()) {
            if (server.store().contains(batch.id())) {
              assertEquals(batch.id(), ContentId.of(server.store().read(batch.id())),
                  "no honest donor stored the liar's bytes");
            }
          }
        }
        long reported = cluster.servers().stream()
            .mapToLong(s -> s.healCounters().badPeerBlobs()).sum();
        assertTrue(reported > 0 || liar.served.get() == 0, "peers that asked the liar noticed");
        assertEquals(total, HealFixtures.readEveryBatch(cluster, manifest));

        // Once disqualified, the liar is no holder: readers stop asking it at all.
        assertTrue(Await.eventually(HealFixtures.HEAL_WAIT,
            () -> info(cluster, liar).standing() == NodeStanding.DISQUALIFIED),
            "the liar was disqualified");
        long askedByReaders = liar.servedToReaders.get();
        assertEquals(manifest.batches().stream().mapToLong(BatchRef::rowCount).sum(),
            countThroughSql(cluster));
        assertEquals(askedByReaders, liar.servedToReaders.get(),
            "the SQL reader never asked the reported liar");
      }
    }
  }

  /** Counts the rows through jdbc:cairn, from an empty cache so every batch is fetched. */
  private static long countThroughSql(LocalCluster cluster) throws Exception {
    String url = "jdbc:cairn://" + cluster.metaHostPort() + "/erin?cache.size=300MiB";
    try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url);
        java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet result = statement.executeQuery("select count(*) from facts")) {
      assertTrue(result.next());
      return result.getLong(1);
    }
  }

  /**
   * A reader asking only the liar gets no bytes and reports it; given the liar and an honest
   * holder, it still gets verified bytes of every batch.
   */
  private static void readersFailOverFromTheLiar(LocalCluster cluster, Liar liar,
      Manifest manifest) {
    List<String> reports = Collections.synchronizedList(new ArrayList<>());
    try (ConnectionPool pool = new ConnectionPool(HealFixtures.TIMEOUT);
        FetchScheduler fetcher = new FetchScheduler(pool,
            FetchOptions.defaults().withCallTimeout(HealFixtures.TIMEOUT),
            (holder, id, why) -> reports.add(holder + " " + why.code()))) {
      for (BatchRef batch : manifest.batches()) {
        List<InetSocketAddress> liarOnly = List.of(liar.server.address());
        assertThrows(CairnException.class, () -> fetcher.fetchOne(
            new FetchRequest(batch.id(), batch.byteSize(), liarOnly)));
        StorageServer honest = cluster.servers().stream()
            .filter(server -> server.store().contains(batch.id())).findFirst().orElseThrow();
        List<InetSocketAddress> holders = List.of(liar.server.address(), honest.address());
        byte[] blob = fetcher.fetchOne(new FetchRequest(batch.id(), batch.byteSize(), holders));
        assertEquals(batch.id(), ContentId.of(blob));
      }
    }
    assertTrue(reports.size() >= manifest.batches().size(), "every liar answer was rejected");
    for (String report : reports) {
      assertEquals(liar.server.address() + " BAD_HASH", report);
    }
  }

  private static NodeInfo info(LocalCluster cluster, Liar liar) {
    try (ConnectionPool pool = new ConnectionPool(HealFixtures.TIMEOUT)) {
      for (NodeInfo node : new MetaClient(pool, List.of(cluster.metaAddress()),
          HealFixtures.TIMEOUT).nodes()) {
        if (Arrays.equals(node.nodeKey(), liar.key.publicKey().toBytes())) {
          return node;
        }
      }
    }
    throw new AssertionError("the liar is not listed");
  }
}
