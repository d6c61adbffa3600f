package dev.cairn.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives Debian's headless Chromium from a test: the DOM a page has once loaded, and a
 * screenshot. Missing Chromium is a test failure, never a skip (.ci/run installs it).
 */
final class Chromium {
  static final Path BINARY = Path.of("/usr/bin/chromium");
  /** Longest one browser run may take on a busy two-core machine. */
  private static final long TIMEOUT_SECONDS = 120;

  private final Path profile;

  /** A browser with its own throw-away profile under {@code dir}. */
  Chromium(Path dir) throws IOException {
    if (!Files.isExecutable(BINARY)) {
      throw new AssertionError(BINARY + " is missing: install Debian's chromium package "
          + "(apt-get install -y chromium), as .ci/run does");
    }
    this.profile = Files.createDirectories(dir.resolve("chromium-profile"));
  }

  /** Loads {@code url} and returns the DOM serialized after load. */
  String dumpDom(String url) throws IOException, InterruptedException {
    return run(List.of("--dump-dom", url));
  }

  /** Loads {@code url} and writes a PNG of a {@code width} x {@code height} window. */
  void screenshot(String url, Path png, int width, int height) throws IOException,
      InterruptedException {
    run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + ","
        + height, "--hide-scrollbars", url));
    if (!Files.isRegularFile(png) || Files.size(png) == 0) {
      throw new AssertionError("chromium wrote no screenshot to " + png);
    }
  }

  private String run(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile));
    command.addAll(args);
    Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
    Path err = Files.createTempFile(profile.getParent(), "chromium", ".err");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
            Path.of("/dev/null").toFile())).start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s: "
          + command);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError("chromium exited " + process.exitValue() + ": "
          + Files.readString(err, StandardCharsets.UTF_8));
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
