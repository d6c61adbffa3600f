package dev.cairn.cli;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.KeyFiles;
import dev.cairn.wire.crypto.SigningKey;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Shared helpers of the CLI's cluster tests: inputs, keys, and looking at what donors hold. */
final class ClusterFixtures {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  private ClusterFixtures() {}

  /** Writes a CSV of {@code rows} rows with a BIGINT, a VARCHAR, a DECIMAL and a DATE column. */
  static Path csv(Path dir, String name, int rows, long seed) throws IOException {
    Path file = dir.resolve(name);
    Random random = new Random(seed);
    LocalDate start = LocalDate.of(1995, 1, 1);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("id,name,price,day\n");
      StringBuilder line = new StringBuilder(64);
      for (int i = 0; i < rows; i++) {
        line.setLength(0);
        line.append(i).append(",name-").append(random.nextInt(100_000)).append(',')
            .append(random.nextInt(1_000_000)).append('.').append(random.nextInt(90) + 10)
            .append(',').append(start.plusDays(random.nextInt(3000))).append('\n');
        out.write(line.toString());
      }
    }
    return file;
  }

  /** Creates a writer key file and returns the key. */
  static SigningKey key(Path file) {
    SigningKey key = SigningKey.generate(new SecureRandom());
    KeyFiles.writeSecretKey(file, key);
    return key;
  }

  /** Returns the indexes of the donors that hold {@code id}, checking each held copy's bytes. */
  static List<Integer> holders(List<StorageServer> servers, ContentId id) throws IOException {
    List<Integer> holding = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      if (servers.get(i).store().contains(id)) {
        byte[] bytes = servers.get(i).store().read(id);
        if (!ContentId.of(bytes).equals(id)) {
          throw new AssertionError("server " + i + " holds bytes that are not " + id);
        }
        holding.add(i);
      }
    }
    return holding;
  }

  static MetaClient metaClient(ConnectionPool pool, java.net.InetSocketAddress meta) {
    return new MetaClient(pool, List.of(meta), TIMEOUT);
  }

  /** Runs the CLI in this JVM and returns its exit code. */
  static int cairn(String... args) {
    return Main.execute(args);
  }
}
