package dev.cairn.tpch.bench;

import dev.cairn.cli.demo.TpchDemo;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.Publisher;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.tpchdata.TpchGenerator;
import dev.cairn.tpchdata.TpchTable;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.SignedManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Measures what chunk roots add to a real manifest (docs/benchmarks.md, "Chunk roots and
 * audits"): publishes TPC-H lineitem at the given scale (default 0.1) with the default 8 MiB
 * batch target to a LocalCluster of one donor, R = 1, and prints the signed manifest's size, its
 * batch count, the 32 bytes per batch the chunk roots take, and the hash list a per-chunk list
 * would have taken instead. Not a test: run by hand like the other benchmarks here.
 */
public final class ManifestSizeBenchmark {
  private ManifestSizeBenchmark() {}

  public static void main(String[] args) throws Exception {
    double scale = args.length > 0 ? Double.parseDouble(args[0]) : 0.1;
    Path dir = Files.createTempDirectory("cairn-manifest-size");
    Path csv = dir.resolve("lineitem.csv");
    TpchGenerator.writeCsv(TpchTable.LINEITEM, csv, scale);
    Duration timeout = Duration.ofMinutes(2);
    SigningKey key = SigningKey.generate(new SecureRandom());
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
        LocalCluster.Options.of(1).withCapacity(4L << 30));
        ConnectionPool pool = new ConnectionPool(timeout)) {
      new Publisher(pool, ProgressListener.NONE).publish(PublishRequest.of(
          List.of(cluster.metaAddress()), key, "tpch", "lineitem", List.of(csv))
          .withReplicas(1).withSchema(TpchDemo.schemaSpec(TpchTable.LINEITEM.schema())));
      SignedManifest signed = new MetaClient(pool, List.of(cluster.metaAddress()), timeout)
          .head("tpch", "lineitem").orElseThrow().signed();
      int batches = signed.manifest().batches().size();
      long blobBytes = signed.manifest().batches().stream().mapToLong(BatchRef::byteSize)
          .sum();
      long chunks = signed.manifest().batches().stream()
          .mapToLong(b -> (b.byteSize() + 65_535) / 65_536).sum();
      int size = signed.encoded().length;
      int roots = batches * ContentId.BYTES;
      System.out.printf(Locale.ROOT, "scale %s: CSV %d bytes; %d batches, %d blob "
          + "bytes, %d chunks%n", scale, Files.size(csv), batches, blobBytes, chunks);
      System.out.printf(Locale.ROOT, "manifest (format 2) %d bytes, of which chunk roots %d "
          + "(%.1f%% growth over format 1's %d); a per-chunk hash list would add %d bytes%n",
          size, roots, 100.0 * roots / (size - roots), size - roots, chunks * ContentId.BYTES);
    } finally {
      DeleteTree.delete(dir);
    }
  }
}
