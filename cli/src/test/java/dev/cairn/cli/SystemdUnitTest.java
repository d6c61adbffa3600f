package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.meta.MetadataServiceConfig;
import dev.cairn.server.StorageServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Goal (issue 15): the systemd units in dist/systemd start the real CLI: each ExecStart runs
 * {@code dev.cairn.cli.Main} with arguments the CLI parses, its config file (the sample in
 * dist/config, installed as /etc/cairn/...) loads by the servers' own rules and names the
 * directory systemd creates, and the unit runs as user cairn with a file limit.
 */
class SystemdUnitTest {
  private static final Path DIST = Path.of("..", "dist");

  @Test
  void theDonorUnitStartsTheRealCliOnItsSampleConfig() throws IOException {
    Map<String, String> unit = unit("cairn-server.service");
    List<String> args = cliArgs(unit, "server", "/etc/cairn/donor.properties",
        "donor.properties");
    CommandLine line = new CommandLine(new Main());
    CommandLine.ParseResult parsed = line.parseArgs(args.toArray(String[]::new));
    ServerCommand server = parsed.subcommand().commandSpec().commandLine().getCommand();
    StorageServerConfig config = server.serverConfig();
    assertEquals(Path.of("/var/lib", unit.get("StateDirectory")), config.dataDirectory());
    assertEquals(Level.INFO, server.logLevel());
    assertHelpRuns(args);
  }

  @Test
  void theMetadataServiceUnitStartsTheRealCliOnItsSampleConfig() throws IOException {
    Map<String, String> unit = unit("cairn-meta.service");
    List<String> args = cliArgs(unit, "meta", "/etc/cairn/meta.properties", "meta.properties");
    CommandLine line = new CommandLine(new Main());
    CommandLine.ParseResult parsed = line.parseArgs(args.toArray(String[]::new));
    MetaCommand meta = parsed.subcommand().commandSpec().commandLine().getCommand();
    MetadataServiceConfig config = meta.serviceConfig();
    assertEquals(Path.of("/var/lib", unit.get("StateDirectory")), config.dataDir());
    assertEquals(Level.INFO, meta.logLevel());
    assertHelpRuns(args);
  }

  @Test
  void theInstalledCommandRunsTheSameJarsAsTheUnits() throws IOException {
    String wrapper = Files.readString(DIST.resolve("bin").resolve("cairn"));
    String exec = unit("cairn-server.service").get("ExecStart");
    assertTrue(wrapper.contains("--add-opens=java.base/java.nio=ALL-UNNAMED")
        && exec.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), wrapper);
    assertTrue(wrapper.contains("${CAIRN_HOME:-/opt/cairn}/lib/*")
        && exec.contains("/opt/cairn/lib/*"), wrapper);
    assertTrue(wrapper.contains("dev.cairn.cli.Main \"$@\""), wrapper);
  }

  /** The same arguments with --help run through the real CLI: parsed, usage printed, exit 0. */
  private static void assertHelpRuns(List<String> args) {
    List<String> help = new ArrayList<>(args);
    help.add("--help");
    CliRun run = CliRun.of(help.toArray(String[]::new));
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("--log-level"), run.out());
  }

  /**
   * Checks the unit's service user, limit and java command line, and returns the CLI's
   * arguments with the installed config path replaced by the sample in dist/config.
   */
  private static List<String> cliArgs(Map<String, String> unit, String command,
      String installedConfig, String sample) {
    assertEquals("cairn", unit.get("User"));
    assertEquals("cairn", unit.get("Group"));
    assertTrue(Long.parseLong(unit.get("LimitNOFILE")) >= 65_536, "file limit");
    assertEquals("2", unit.get("RestartPreventExitStatus"), "bad settings do not restart");
    List<String> exec = Arrays.asList(unit.get("ExecStart").trim().split("\\s+"));
    assertEquals("/usr/bin/java", exec.get(0));
    assertTrue(exec.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), exec.toString());
    assertEquals("/opt/cairn/lib/*", exec.get(exec.indexOf("-cp") + 1));
    int main = exec.indexOf("dev.cairn.cli.Main");
    assertTrue(main > 0, exec.toString());
    List<String> args = new ArrayList<>(exec.subList(main + 1, exec.size()));
    assertEquals(List.of(command, "--config", installedConfig), args);
    args.set(2, DIST.resolve("config").resolve(sample).toString());
    return args;
  }

  /** Reads a unit file's {@code key=value} lines (the last of a repeated key wins). */
  private static Map<String, String> unit(String name) throws IOException {
    Map<String, String> keys = new TreeMap<>();
    for (String line : Files.readAllLines(DIST.resolve("systemd").resolve(name))) {
      int equals = line.indexOf('=');
      if (!line.startsWith("#") && !line.startsWith("[") && equals > 0) {
        keys.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
      }
    }
    return keys;
  }
}
