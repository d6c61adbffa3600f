package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.HostPort;
import dev.cairn.wire.MetaDefault;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Goal (issue 15): every command that talks to metadata services defaults to the same one,
 * {@link MetaDefault#ADDRESS}, when {@code --meta} is not given: the client commands through
 * one option, the donor through its config default, {@code cairn sql} through its URL. A new
 * command with a {@code --meta} of its own fails here.
 */
class MetaDefaultTest {
  @TempDir Path dir;

  @Test
  void everyCommandDefaultsToTheSameMetadataService() {
    InetSocketAddress expected = HostPort.parse(MetaDefault.ADDRESS).resolve();
    Map<String, String[]> minimalArgs = Map.of(
        "status", new String[] {},
        "publish", new String[] {"--key", "k", "--table", "a.b", "x.csv"},
        "refresh", new String[] {"--key", "k", "--table", "a.b"},
        "node list", new String[] {},
        "node forget", new String[] {"abc"});
    List<String> withMeta = new ArrayList<>();
    collect(new CommandLine(new Main()), withMeta);
    assertEquals(List.of("join", "node forget", "node list", "publish", "refresh", "server",
        "status"),
        withMeta.stream().sorted().toList(), "the commands with --meta");
    for (Map.Entry<String, String[]> command : minimalArgs.entrySet()) {
      CommandLine line = new CommandLine(new Main());
      List<String> args = new ArrayList<>(List.of(command.getKey().split(" ")));
      args.addAll(List.of(command.getValue()));
      CommandLine.ParseResult parsed = line.parseArgs(args.toArray(String[]::new));
      while (parsed.hasSubcommand()) {
        parsed = parsed.subcommand();
      }
      OptionSpec meta = parsed.commandSpec().findOption("--meta");
      assertEquals(List.of(expected), meta.getValue(), command.getKey());
    }
    CommandLine server = new CommandLine(new ServerCommand());
    server.parseArgs("--data", dir.toString());
    assertEquals(List.of(MetaDefault.ADDRESS), server.<ServerCommand>getCommand().serverConfig()
        .metaServices().stream().map(HostPort::format).toList(), "server");
    CommandLine sql = new CommandLine(new SqlCommand());
    sql.parseArgs();
    assertEquals("jdbc:cairn://" + MetaDefault.ADDRESS, sql.<SqlCommand>getCommand().url,
        "sql");
    assertTrue(new CommandLine(new Main()).getSubcommands().get("status").getUsageMessage()
        .contains(MetaDefault.ADDRESS), "the help names the default");
  }

  private static void collect(CommandLine command, List<String> found) {
    for (CommandLine sub : command.getSubcommands().values()) {
      if (sub.getCommandSpec().findOption("--meta") != null) {
        found.add(sub.getCommandSpec().qualifiedName(" ").replaceFirst("^cairn ", ""));
      }
      collect(sub, found);
    }
  }
}
