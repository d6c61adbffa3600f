package dev.cairn.cli;

import java.util.Properties;

/**
 * The flags an operator typed, gathered under the config file's keys for the servers' config
 * layers (a flag given wins over the file, the file over the default). A flag not given is
 * null and must stay absent, so that it cannot hide the file's value.
 */
final class ConfigFlags {
  private ConfigFlags() {}

  /** Sets {@code key} in {@code flags} to {@code value}, if the flag was given (not null). */
  static void put(Properties flags, String key, Object value) {
    if (value != null) {
      flags.setProperty(key, value.toString());
    }
  }
}
