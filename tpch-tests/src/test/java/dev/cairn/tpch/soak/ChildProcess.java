package dev.cairn.tpch.soak;

import dev.cairn.cluster.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code cairn meta} or {@code cairn server} as a child JVM on a fixed loopback port, so
 * that kill -9, SIGSTOP/SIGCONT and SIGTERM are real signals to a real process. Its output is
 * appended to one log across restarts. Not thread-safe: the fault script is its only driver.
 */
final class ChildProcess {
  /** Bounded wait for a (re)started child to accept connections, or for one to exit. */
  static final Duration WAIT = Duration.ofSeconds(90);
  /** A small heap: seven children and the readers share the machine. */
  private static final String HEAP = "-Xmx320m";

  private final String name;
  private final int port;
  private final List<String> cairnArgs;
  private final Path log;
  private Process process;
  private boolean stopped;

  ChildProcess(String name, int port, List<String> cairnArgs, Path log) {
    this.name = name;
    this.port = port;
    this.cairnArgs = List.copyOf(cairnArgs);
    this.log = log;
  }

  /** Returns a free loopback port (free now; the child binds it soon after). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  /** Starts the JVM; {@link #awaitListening} tells when it serves. */
  void start() throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens=java.base/java.nio=ALL-UNNAMED", HEAP, "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), "dev.cairn.cli.Main"));
    command.addAll(cairnArgs);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = builder.start();
    stopped = false;
  }

  /**
   * Waits, bounded by {@code limit}, until the port accepts a connection while the process
   * lives; IllegalStateException naming the log otherwise.
   */
  void awaitListening(Duration limit) {
    Await.until(limit, name + " listening on " + port,
        () -> (process.isAlive() ? "alive" : "exited " + process.exitValue()) + ", see " + log,
        () -> {
          if (!process.isAlive()) {
            return false;
          }
          try (Socket socket = new Socket()) {
            socket.connect(address(), 1000);
            return true;
          } catch (IOException e) {
            return false;
          }
        });
  }

  /** kill -9: no shutdown hook, no flush; waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    awaitExit();
  }

  /** SIGSTOP: the process keeps its sockets (the kernel still accepts) and answers nothing. */
  void freeze() throws IOException, InterruptedException {
    signal("STOP");
    stopped = true;
  }

  /** SIGCONT after {@link #freeze}. */
  void thaw() throws IOException, InterruptedException {
    signal("CONT");
    stopped = false;
  }

  /** SIGTERM: the clean stop (shutdown hook); kill -9 if it has not exited within the wait. */
  void terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      awaitExit();
    }
  }

  private void awaitExit() throws InterruptedException {
    if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + " did not exit within " + WAIT);
    }
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
        .redirectErrorStream(true).start();
    if (!kill.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  /** Ends the process for good, thawing it first so that the kill is delivered at once. */
  void destroy() {
    if (process == null) {
      return;
    }
    try {
      if (stopped) {
        thaw();
      }
      kill();
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
