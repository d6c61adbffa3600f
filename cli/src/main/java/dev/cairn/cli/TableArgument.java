package dev.cairn.cli;

import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A table named on the command line as {@code SCHEMA.TABLE}: the schema is a publisher name,
 * which is lower case, so it is folded; the table name is kept as written.
 */
record TableArgument(String schema, String table) {
  /** Splits {@code value} of {@code --table}; anything but one dot is a usage error. */
  static TableArgument parse(CommandSpec spec, String value) {
    String[] parts = value.split("\\.", -1);
    if (parts.length != 2) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--table must be SCHEMA.TABLE, got '" + value + "'");
    }
    return new TableArgument(parts[0].toLowerCase(Locale.ROOT), parts[1]);
  }
}
