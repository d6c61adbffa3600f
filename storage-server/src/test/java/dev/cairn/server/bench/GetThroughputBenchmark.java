package dev.cairn.server.bench;

import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.frame.Frame;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.message.BlobMessages.BlobData;
import dev.cairn.wire.message.BlobMessages.GetBlob;
import dev.cairn.wire.rpc.RpcConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Measures GET_BLOB throughput over loopback: a 64 MiB blob fetched whole (as four 16 MiB
 * ranges requested at once) several times from a donor without a download limit and from one
 * limited to 50 MiB/s, printing MiB/s per run and the median. Not a test: run by hand, e.g.
 * {@code mvn -o -q -pl storage-server -am test-compile} and then exec-maven-plugin with
 * {@code -Dexec.classpathScope=test} (docs/operations.md). Arguments: {@code [runs]
 * [limitMiBPerSecond]}.
 */
public final class GetThroughputBenchmark {
  private static final int BLOB_BYTES = 64 << 20;
  private static final int RANGE_BYTES = 16 << 20;
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private GetThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    long limitMiB = args.length > 1 ? Long.parseLong(args[1]) : 50;
    Path data = Files.createTempDirectory("cairn-get-bench");
    byte[] blob = new byte[BLOB_BYTES];
    new Random(42).nextBytes(blob);
    ContentId id = ContentId.of(blob);
    StorageServerConfig base = StorageServerConfig.defaults(data).withListen("127.0.0.1", 0)
        .withStorage(256L << 20, 256L << 20, Map.of());
    try (StorageServer server = StorageServer.start(base)) {
      server.store().put(id, ByteBuffer.wrap(blob)); // larger than one PUT_BLOB may carry
    }
    double unlimited = measure(base, id, runs, "unlimited");
    double limited = measure(base.withLimits(0, limitMiB << 20, 1024), id, runs,
        "download-limit " + limitMiB + "MiB/s");
    System.out.printf(Locale.ROOT, "median unlimited %.1f MiB/s; limited %.1f MiB/s = %.1f%% "
        + "of the %d MiB/s limit%n", unlimited, limited, 100 * limited / limitMiB, limitMiB);
  }

  private static double measure(StorageServerConfig config, ContentId id, int runs,
      String label) throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (StorageServer server = StorageServer.start(config);
        RpcConnection connection = RpcConnection.connect(group, server.address(),
            new Hello(PeerRole.CLIENT, null), TIMEOUT)) {
      fetch(connection, id); // warm-up: JIT, page cache, the shaper's first interval
      List<Double> rates = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        long start = System.nanoTime();
        fetch(connection, id);
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = BLOB_BYTES / seconds / (1 << 20);
        rates.add(rate);
        System.out.printf(Locale.ROOT, "%s run %d: %.1f MiB/s (%.3f s)%n", label, run, rate,
            seconds);
      }
      Collections.sort(rates);
      double median = rates.get(rates.size() / 2);
      System.out.printf(Locale.ROOT, "%s median: %.1f MiB/s%n", label, median);
      return median;
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** Fetches the blob as all its ranges in flight at once, as a reader pipelines them. */
  private static void fetch(RpcConnection connection, ContentId id) throws Exception {
    List<CompletableFuture<Frame>> replies = new ArrayList<>();
    for (long offset = 0; offset < BLOB_BYTES; offset += RANGE_BYTES) {
      ByteBuf request = Unpooled.buffer();
      new GetBlob(id, offset, RANGE_BYTES).writeTo(request);
      replies.add(connection.call(FrameType.GET_BLOB, request, TIMEOUT));
    }
    long received = 0;
    for (CompletableFuture<Frame> future : replies) {
      Frame reply = future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      try {
        BlobData.readBlobSize(reply.payload());
        received += reply.payload().readableBytes();
      } finally {
        reply.release();
      }
    }
    if (received != BLOB_BYTES) {
      throw new IllegalStateException("received " + received + " of " + BLOB_BYTES + " bytes");
    }
  }
}
