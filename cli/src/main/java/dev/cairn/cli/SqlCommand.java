package dev.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Opens a SQL shell on Cairn, or runs one statement: sqlline on the jdbc:cairn driver. */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Open a SQL shell on a Cairn JDBC URL, or run one statement with -e.")
final class SqlCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "URL", defaultValue = SqlShell.DEFAULT_URL,
      description = "Default: ${DEFAULT-VALUE}. Form: "
          + "jdbc:cairn://HOST:PORT[,HOST:PORT...][/SCHEMA][?key=value&...].")
  String url;

  @Option(names = "-e", paramLabel = "SQL",
      description = "Run this statement, print its result as a table and exit "
          + "(exit code 1 and the error on stderr when it fails).")
  String statement;

  @Option(names = "--log-level", paramLabel = "LEVEL", description = Logging.HELP)
  String logLevel;

  @Override
  public Integer call() throws Exception {
    if (logLevel != null) {
      try {
        Logging.configure(Logging.parse(logLevel));
      } catch (dev.cairn.wire.CairnException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    if (!url.startsWith("jdbc:")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "URL must start with jdbc:, e.g. " + SqlShell.DEFAULT_URL + ", got '" + url + "'");
    }
    return SqlShell.run(url, statement);
  }
}
