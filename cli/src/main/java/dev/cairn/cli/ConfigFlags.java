package dev.cairn.cli;

import dev.cairn.wire.CairnException;
import java.util.Properties;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The flags an operator typed, gathered under the config file's keys for the servers' config
 * layers (a flag given wins over the file, the file over the default). A flag not given is
 * null and must stay absent, so that it cannot hide the file's value. What the layers refuse
 * is the command's usage error.
 */
final class ConfigFlags {
  private ConfigFlags() {}

  /** Sets {@code key} in {@code flags} to {@code value}, if the flag was given (not null). */
  static void put(Properties flags, String key, Object value) {
    if (value != null) {
      flags.setProperty(key, value.toString());
    }
  }

  /**
   * Returns what {@code load} reads from the flags and the config file; a setting it refuses
   * (CairnException) becomes {@code spec}'s usage error, which names the setting.
   */
  static <T> T load(CommandSpec spec, Supplier<T> load) {
    try {
      return load.get();
    } catch (CairnException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
