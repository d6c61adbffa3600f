package dev.cairn.server.bench;

import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.server.store.BlobStore;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.rpc.ChunkAudit;
import dev.cairn.wire.rpc.RpcConnection;
import dev.cairn.wire.rpc.VerifiedChunkRead;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Measures what chunk audits cost on an 8 MiB blob (docs/benchmarks.md, "Chunk roots and
 * audits"): the chunk tree root (the publisher's extra work) beside the content id, a proof's
 * verification, a GET_CHUNK proof made by hashing the whole blob on demand against one made
 * from the leaf-hash sidecar (the choice in docs/decisions.md), and a whole audit (GET_CHUNK
 * over loopback to a real StorageServer, verified). Prints each run and the medians. Not a
 * test: run by hand like {@code GetThroughputBenchmark}. Argument: {@code [runs]}.
 */
public final class ChunkBenchmark {
  private static final int BLOB_BYTES = 8 << 20;
  /** Operations per timed run, so one run lasts long enough to time. */
  private static final int OPS = 200;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private ChunkBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    byte[] blob = new byte[BLOB_BYTES];
    new Random(42).nextBytes(blob);
    ContentId id = ContentId.of(blob);
    ChunkTree tree = ChunkTree.of(blob);
    ContentId root = tree.root();
    int chunks = tree.chunkCount();
    Path data = Files.createTempDirectory("cairn-chunk-bench");
    Random pick = new Random(7);

    report("content id of 8 MiB (ms)", runs, 20, () -> ContentId.of(blob));
    report("chunk root of 8 MiB (ms)", runs, 20, () -> ChunkTree.root(blob));
    byte[] chunk = java.util.Arrays.copyOfRange(blob, 0, ChunkTree.CHUNK_BYTES);
    List<ContentId> proof = tree.proof(0);
    report("verify one 64 KiB chunk + proof (ms)", runs, OPS * 10, () -> {
      if (!ChunkTree.verify(root, BLOB_BYTES, 0, chunk, proof)) {
        throw new AssertionError("proof failed");
      }
    });

    StorageServerConfig config = StorageServerConfig.defaults(data).withListen("127.0.0.1", 0)
        .withStorage(64L << 20, 64L << 20, Map.of());
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (StorageServer server = StorageServer.start(config)) {
      BlobStore store = server.store();
      store.put(id, ByteBuffer.wrap(blob));
      Path sidecar = store.root().resolve("leaves").resolve(id.toHex().substring(0, 2))
          .resolve(id.toHex());
      report("proof on demand: read + hash 8 MiB (ms)", runs, 20, () -> {
        Files.deleteIfExists(sidecar);
        int index = pick.nextInt(chunks);
        store.chunkTree(id).proof(index);
        store.readRange(id, ChunkTree.chunkOffset(index), ChunkTree.CHUNK_BYTES);
      });
      store.chunkTree(id); // writes the sidecar again
      report("proof from sidecar: read 4 KiB + 64 KiB (ms)", runs, OPS, () -> {
        int index = pick.nextInt(chunks);
        store.chunkTree(id).proof(index);
        store.readRange(id, ChunkTree.chunkOffset(index), ChunkTree.CHUNK_BYTES);
      });
      BatchRef batch = new BatchRef(id, BLOB_BYTES, 1, root,
          List.of(new ColumnStats(0, 1L, 1L)));
      try (RpcConnection connection = RpcConnection.connect(group, server.address(),
          new Hello(PeerRole.CLIENT, null), TIMEOUT)) {
        VerifiedChunkRead.ChunkSource source = VerifiedChunkRead.over(connection, TIMEOUT);
        report("whole audit over loopback: GET_CHUNK + verify (ms)", runs, OPS, () -> {
          ChunkAudit.Result result = ChunkAudit.run(source, () -> tree, "bench", batch,
              ChunkAudit.randomChunk(BLOB_BYTES, pick));
          if (result.verdict() != ChunkAudit.Verdict.PASSED) {
            throw new AssertionError(result.detail());
          }
        });
      }
    } finally {
      group.shutdownGracefully().syncUninterruptibly();
    }
  }

  /** An operation timed by {@link #report}. */
  private interface Op {
    void run() throws Exception;
  }

  private static void report(String label, int runs, int ops, Op op) throws Exception {
    for (int i = 0; i < Math.max(3, ops / 10); i++) {
      op.run(); // warm-up: JIT and page cache
    }
    List<Double> perOp = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      long start = System.nanoTime();
      for (int i = 0; i < ops; i++) {
        op.run();
      }
      perOp.add((System.nanoTime() - start) / 1e6 / ops);
    }
    List<Double> sorted = new ArrayList<>(perOp);
    Collections.sort(sorted);
    StringBuilder line = new StringBuilder();
    perOp.forEach(ms -> line.append(String.format(Locale.ROOT, " %.4f", ms)));
    System.out.printf(Locale.ROOT, "%-52s median %.4f; runs%s%n", label,
        sorted.get(sorted.size() / 2), line);
  }
}
