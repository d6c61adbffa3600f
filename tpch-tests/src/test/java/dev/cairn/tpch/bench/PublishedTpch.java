package dev.cairn.tpch.bench;

import dev.cairn.cluster.LocalCluster;
import dev.cairn.cli.demo.TpchDemo;
import dev.cairn.wire.crypto.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

/**
 * TPC-H at one scale published (R = 3) to a fresh local cluster of 3 donors in a temporary
 * directory, for the diagnosis mains that look at one reader's warm queries; closing stops the
 * cluster and deletes the directory.
 */
final class PublishedTpch implements AutoCloseable {
  private final Path root;
  private final LocalCluster cluster;
  private final CairnColdWarm urls;

  private PublishedTpch(Path root, LocalCluster cluster) {
    this.root = root;
    this.cluster = cluster;
    this.urls = new CairnColdWarm(cluster.metaHostPort(), TpchDemo.SCHEMA, root);
  }

  /** Generates and publishes SF {@code scale} under a temporary directory named {@code name}. */
  static PublishedTpch start(String name, double scale) throws IOException {
    Path root = Files.createTempDirectory(name);
    LocalCluster cluster = LocalCluster.start(root.resolve("cluster"), LocalCluster.Options.of(3));
    try {
      TpchDemo.publish(List.of(cluster.metaAddress()), SigningKey.generate(new SecureRandom()),
          TpchDemo.generate(root.resolve("csv"), scale), 3);
      return new PublishedTpch(root, cluster);
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Returns a jdbc:cairn URL over the tables with a new, empty cache directory. */
  String freshUrl() throws IOException {
    return urls.freshUrl();
  }

  @Override
  public void close() throws IOException {
    cluster.close();
    DeleteTree.delete(root);
  }
}
