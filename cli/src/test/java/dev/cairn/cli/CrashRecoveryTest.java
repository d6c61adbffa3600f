package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.NodeClient;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.Publisher;
import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: donors are real processes that can die at any instant. kill -9 of a donor during an
 * upload leaves no partial blob to be served after restart, the interrupted publish made no
 * version visible, and the same publish completes on retry. Garbage sent to every port closes
 * that connection only.
 */
class CrashRecoveryTest {
  private static final Duration WAIT = ChildDonors.WAIT;

  @TempDir Path dir;

  @Test
  void killDuringUploadThenRestartAndRetry() throws Exception {
    MetadataServiceConfig metaConfig = MetadataServiceConfig.of("127.0.0.1", 0, dir.resolve("meta"))
        .withDeadAfter(Duration.ofSeconds(1));
    try (MetadataService meta = MetadataService.start(metaConfig);
        ChildDonors donors = new ChildDonors(dir, meta.address());
        ConnectionPool pool = new ConnectionPool(ClusterFixtures.TIMEOUT)) {
      int[] ports = {ChildDonors.freePort(), ChildDonors.freePort(), ChildDonors.freePort()};
      List<Process> servers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        servers.add(donors.start(i, ports[i]));
      }
      ChildDonors.awaitLive(meta, 3);
      SigningKey key = ClusterFixtures.key(dir.resolve("w.key"));
      Path input = ClusterFixtures.csv(dir, "rows.csv", 600_000, 7);
      PublishRequest request = PublishRequest.of(List.of(meta.address()), key, "crash", "rows",
          List.of(input)).withBatchTargetBytes(1L << 20).withCallTimeout(Duration.ofSeconds(5));

      AtomicBoolean killed = new AtomicBoolean();
      ProgressListener killer = new ProgressListener() {
        private long uploaded;

        @Override
        public synchronized void bytesUploaded(long bytes) {
          uploaded += bytes;
          if (uploaded > (2L << 20) && killed.compareAndSet(false, true)) {
            servers.get(0).destroyForcibly(); // SIGKILL: no shutdown hook, no flush
          }
        }
      };
      CompletableFuture<Void> publish = CompletableFuture.runAsync(
          () -> Publisher.publish(request, killer));
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> publish.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertTrue(killed.get(), "the donor was killed mid-upload");
      assertTrue(failed.getCause() instanceof CairnException, "a named error: " + failed);
      MetaClient client = ClusterFixtures.metaClient(pool, meta.address());
      assertFalse(client.head("crash", "rows").isPresent(), "nothing became visible");

      assertTrue(servers.get(0).waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
      ChildDonors.awaitLive(meta, 2); // the metadata service noticed the silence
      servers.set(0, donors.start(0, ports[0]));
      ChildDonors.awaitLive(meta, 3);
      assertEveryStoredBlobIsWhole(dir.resolve("server-0").resolve("store"));

      Publisher.publish(request, ProgressListener.NONE);
      Manifest manifest = client.head("crash", "rows").orElseThrow().signed().manifest();
      assertEquals(1, manifest.version());
      assertEquals(600_000, manifest.batches().stream().mapToLong(BatchRef::rowCount).sum());
      assertEveryBatchHasThreeCopies(pool, client, manifest, ports);
      sendGarbageToEveryPort(meta.address(), ports);
      assertEquals(3, client.nodes().size(), "every server still answers after garbage");
    }
  }

  private static void assertEveryStoredBlobIsWhole(Path store) throws IOException {
    try (Stream<Path> tmp = Files.list(store.resolve("tmp"))) {
      assertEquals(0, tmp.count(), "partial uploads were cleaned at restart");
    }
    try (Stream<Path> blobs = Files.walk(store.resolve("blobs"))) {
      for (Path file : blobs.filter(Files::isRegularFile).toList()) {
        ContentId expected = ContentId.parse(file.getFileName().toString());
        assertEquals(expected, ContentId.of(Files.readAllBytes(file)),
            "a stored blob's bytes hash to its name: " + file);
      }
    }
  }

  private static void assertEveryBatchHasThreeCopies(ConnectionPool pool, MetaClient client,
      Manifest manifest, int[] ports) {
    List<ContentId> ids = manifest.batches().stream().map(BatchRef::id).toList();
    for (int port : ports) {
      NodeClient node = new NodeClient(pool, new InetSocketAddress("127.0.0.1", port), null,
          ClusterFixtures.TIMEOUT);
      assertTrue(node.has(ids).stream().allMatch(Boolean::booleanValue),
          "with 3 donors and R = 3 every donor holds every batch: " + port);
    }
    for (BlobPlacement placement : client.placement(3, ids)) {
      assertEquals(3, placement.placed().size());
    }
  }

  private static void sendGarbageToEveryPort(InetSocketAddress meta, int[] ports)
      throws IOException {
    List<Integer> all = new ArrayList<>();
    all.add(meta.getPort());
    for (int port : ports) {
      all.add(port);
    }
    for (int port : all) {
      for (byte[] garbage : List.of("\u0000\u0000garbage".getBytes(StandardCharsets.ISO_8859_1),
          new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff})) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
          socket.setSoTimeout(10_000);
          OutputStream out = socket.getOutputStream();
          out.write(garbage);
          out.flush();
          InputStream in = socket.getInputStream();
          byte[] reply = in.readAllBytes(); // HELLO, ERROR, then the server closes
          assertTrue(reply.length > 13, "the server answered with frames before closing");
        }
      }
    }
  }
}
