package dev.cairn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.Publisher;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.wire.crypto.SigningKey;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar a Spark user adds: Cairn's Netty and Bouncy Castle relocated (no class of ours names
 * the originals), no Arrow of its own, the {@code cairn} format registered; and Spark, on a
 * class path with that jar and no other Cairn class, reads a table from real donors with it.
 */
class ShadedJarIT {
  private static final String SHADED = "dev/cairn/spark/shaded/";

  @TempDir
  Path dir;

  private static Path jar() {
    String path = System.getProperty("cairn.shadedJar");
    assertNotNull(path, "run by Maven after package, with cairn.shadedJar set");
    return Path.of(path);
  }

  @Test
  void relocatesNettyAndBouncyCastleAndLeavesArrowToSpark() throws IOException {
    try (ZipFile zip = new ZipFile(jar().toFile())) {
      int ours = 0;
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        String name = entry.getName();
        assertFalse(name.startsWith("io/netty/") || name.startsWith("org/bouncycastle/")
            || name.startsWith("org/apache/arrow/"), name);
        if (name.startsWith("dev/cairn/") && !name.startsWith(SHADED)
            && name.endsWith(".class")) {
          ours++;
          try (InputStream in = zip.getInputStream(entry)) {
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)
                .replace(SHADED + "io/netty/", "").replace(SHADED + "org/bouncycastle/", "");
            assertFalse(text.contains("io/netty/") || text.contains("org/bouncycastle/"),
                name + " names an unrelocated class");
          }
        }
      }
      assertTrue(ours > 100, ours + " Cairn classes");
      try (InputStream in = zip.getInputStream(zip.getEntry(
          "META-INF/services/org.apache.spark.sql.sources.DataSourceRegister"))) {
        assertEquals(CairnDataSource.class.getName(),
            new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
      }
    }
  }

  @Test
  void sparkReadsATableWithOnlyTheShadedJar() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
        LocalCluster.Options.of(3))) {
      StringBuilder csv = new StringBuilder("id,name\n");
      for (int i = 0; i < 500; i++) {
        csv.append(i).append(",n").append(i).append('\n');
      }
      Path file = dir.resolve("t.csv");
      Files.writeString(file, csv);
      Publisher.publish(PublishRequest.of(cluster.metaAddresses(),
          SigningKey.generate(new SecureRandom()), "alice", "t", List.of(file))
          .withSchema("id BIGINT, name VARCHAR")
          .withBatchTargetBytes(PublishRequest.BATCH_TARGET_BYTES_MIN), ProgressListener.NONE);

      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of(System.getProperty("cairn.childJvmOpens").trim().split("\\s+")));
      command.add("-Xmx1g");
      command.add("-cp");
      command.add(sparkClassPath() + File.pathSeparator + jar());
      command.add(ShadedJarMain.class.getName());
      command.add(cluster.metaHostPort());
      command.add("alice.t");
      Path out = dir.resolve("child.out");
      Process child = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      boolean done = child.waitFor(5, TimeUnit.MINUTES);
      if (!done) {
        child.destroyForcibly();
      }
      String output = Files.readString(out);
      assertTrue(done && child.exitValue() == 0, "the Spark JVM failed:\n" + tail(output));
      long sum = 499L * 500 / 2;
      assertTrue(output.contains("format 500 " + sum + "\n"), tail(output));
      assertTrue(output.contains("catalog 500 " + sum + "\n"), tail(output));
    }
  }

  /**
   * This JVM's class path without any Cairn module (their classes are in the shaded jar):
   * Spark and its dependencies, and this module's test classes for {@link ShadedJarMain}.
   */
  private static String sparkClassPath() {
    Path repository = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    Path testClasses = Path.of(System.getProperty("user.dir"), "target", "test-classes")
        .toAbsolutePath();
    List<String> kept = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry).toAbsolutePath();
      boolean cairn = path.startsWith(repository) || entry.contains("dev/cairn/cairn-");
      if (!cairn || path.equals(testClasses)) {
        kept.add(entry);
      }
    }
    return String.join(File.pathSeparator, kept);
  }

  private static String tail(String output) {
    return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
  }
}
