package dev.cairn.cli;

import dev.cairn.cluster.Await;
import dev.cairn.meta.MetadataService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Storage servers as child JVMs running {@code cairn server}: real processes that a test can
 * end with kill -9 (no shutdown hook, no flush), which an in-process close cannot imitate.
 */
final class ChildDonors implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(60);

  private final Path dir;
  private final InetSocketAddress meta;
  private final List<Process> processes = new ArrayList<>();

  ChildDonors(Path dir, InetSocketAddress meta) {
    this.dir = dir;
    this.meta = meta;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Starts donor {@code index} on {@code port}, its data under {@code dir/server-index}. */
  Process start(int index, int port) throws IOException {
    Path config = dir.resolve("server-" + index + ".properties");
    Files.writeString(config, "heartbeat-interval=200ms\n");
    Process process = cairn(dir.resolve("server-" + index + ".log"), "server",
        "--listen", "127.0.0.1:" + port, "--data", dir.resolve("server-" + index).toString(),
        "--meta", "127.0.0.1:" + meta.getPort(), "--config", config.toString());
    processes.add(process);
    return process;
  }

  /**
   * Starts {@code cairn args...} as a child JVM on this test's class path, its stdout and
   * stderr together in {@code log}; the caller ends it.
   */
  static Process cairn(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "dev.cairn.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    return builder.start();
  }

  /** Waits, bounded by {@link #WAIT}, until the metadata service counts {@code count} live. */
  static void awaitLive(MetadataService service, int count) {
    Await.until(WAIT, count + " live donors", () -> service.liveNodeCount() + " live",
        () -> service.liveNodeCount() == count);
  }

  @Override
  public void close() {
    processes.forEach(Process::destroyForcibly);
  }
}
