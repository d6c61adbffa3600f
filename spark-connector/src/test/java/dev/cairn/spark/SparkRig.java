package dev.cairn.spark;

import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.client.publish.Publisher;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.wire.crypto.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * A test's Cairn and Spark: 3 real donors and a metadata service on loopback, one writer key,
 * and a Spark session in local mode ({@code local[2]}) with the Cairn catalog named {@code
 * cairn} pointed at the cluster.
 */
final class SparkRig implements AutoCloseable {
  static final int DONORS = 3;

  private final Path dir;
  private final LocalCluster cluster;
  private final SigningKey writer = SigningKey.generate(new SecureRandom());
  private final SparkSession spark;
  private int files;

  private SparkRig(Path dir, LocalCluster cluster, SparkSession spark) {
    this.dir = dir;
    this.cluster = cluster;
    this.spark = spark;
  }

  /** Starts the cluster in a new temporary folder, and Spark. */
  static SparkRig start(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
        LocalCluster.Options.of(DONORS));
    SparkSession spark = SparkSession.builder()
        .master("local[2]")
        .appName(prefix)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.datetime.java8API.enabled", "true")
        .config("spark.sql.catalog.cairn", CairnCatalog.class.getName())
        .config("spark.sql.catalog.cairn.meta", cluster.metaHostPort())
        .getOrCreate();
    return new SparkRig(dir, cluster, spark);
  }

  SparkSession spark() {
    return spark;
  }

  LocalCluster cluster() {
    return cluster;
  }

  Path dir() {
    return dir;
  }

  /** Publishes {@code csv} as the next version of {@code schema.table}. */
  PublishResult publish(String schema, String table, String columns, String csv,
      long batchTargetBytes) throws IOException {
    Path file = dir.resolve("input" + (files++) + ".csv");
    Files.writeString(file, csv);
    return publish(schema, table, columns, file, batchTargetBytes);
  }

  /** Publishes a CSV file as the next version of {@code schema.table}. */
  PublishResult publish(String schema, String table, String columns, Path csv,
      long batchTargetBytes) {
    return publish(PublishRequest.of(cluster.metaAddresses(), writer, schema, table,
        List.of(csv)).withSchema(columns).withBatchTargetBytes(batchTargetBytes));
  }

  /** Publishes as {@code request} says. */
  PublishResult publish(PublishRequest request) {
    return Publisher.publish(request, ProgressListener.NONE);
  }

  /** Returns the writer key of this rig's tables. */
  SigningKey writer() {
    return writer;
  }

  @Override
  public void close() throws IOException {
    spark.stop();
    cluster.close();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
