package dev.cairn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cairn} command. Each subcommand is a class of its own; this one only wires them
 * together and maps failures to exit codes: 0 done, 1 the operation failed (the message names
 * the error, e.g. QUOTA_EXCEEDED), 2 bad arguments (one line saying which).
 */
@Command(name = "cairn", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "SQL over signed, content-addressed data sets kept on untrusted donors.",
    subcommands = {
        KeygenCommand.class,
        MetaCommand.class,
        ServerCommand.class,
        PublishCommand.class,
        RefreshCommand.class,
        StatusCommand.class,
        NodeCommand.class,
        SqlCommand.class,
        DemoCommand.class,
        JoinCommand.class,
        CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Exit code for bad arguments. */
  public static final int EXIT_USAGE = 2;
  /** Exit code for a failed operation. */
  public static final int EXIT_FAILED = 1;

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  /** Runs the command line and returns the exit code, without exiting the JVM. */
  public static int execute(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setParameterExceptionHandler(Main::onBadArguments);
    commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
      System.err.println("cairn: " + Failures.describe(e));
      return EXIT_FAILED;
    });
    commandLine.setExecutionStrategy(Main::executeUnlessUnmatched);
    return commandLine.execute(args);
  }

  /**
   * Refuses arguments nobody matched before running anything: picocli lets them pass when
   * {@code --help} is also given, so {@code cairn foo --help} printed help and exited 0.
   */
  private static int executeUnlessUnmatched(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult level = parsed; level != null; level = level.subcommand()) {
      if (!level.unmatched().isEmpty()) {
        System.err.println("cairn: unknown command or argument '" + level.unmatched().get(0)
            + "' (see '" + level.commandSpec().qualifiedName() + " --help')");
        return EXIT_USAGE;
      }
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  private static int onBadArguments(CommandLine.ParameterException e, String[] args) {
    System.err.println("cairn: " + e.getMessage() + " (see '"
        + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
    return EXIT_USAGE;
  }

  /** Runs the {@code cairn} process: logging set up first, so no library speaks before it. */
  public static void main(String[] args) {
    Logging.configure(Logging.DEFAULT_LEVEL);
    System.exit(execute(args));
  }

  /** Prints the version from the jar's manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"cairn " + (version == null ? "development" : version)};
    }
  }
}
