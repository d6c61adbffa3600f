package dev.cairn.wire;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one precedence rule of every Cairn server's settings: a flag the operator gave beats the
 * same key in the config file, which beats the built-in default (docs/operations.md,
 * "Settings and their precedence").
 *
 * <p>Callers pass only the flags actually given: a flag with a default of its own (picocli's
 * {@code defaultValue}) would hide the file's value, which is how a file's {@code listen =
 * 127.0.0.1:7474} once lost to a flag default of {@code 0.0.0.0}. Defaults live in one place,
 * the config record that reads the merged keys.
 */
public final class ConfigLayers {
  private ConfigLayers() {}

  /**
   * The key every server accepts besides its own: its log level ({@code error}, {@code warn},
   * {@code info}, {@code debug}, {@code trace}), applied by the command that runs the server.
   */
  public static final String LOG_LEVEL = "log-level";
  /** Keys {@link #checkKnown} accepts for every server. */
  public static final Set<String> COMMON_KEYS = Set.of(LOG_LEVEL);

  /**
   * Reads {@code configFile} (Java properties syntax; null for none) and lays {@code
   * flagsGiven} (null for none) over it. IO_ERROR when the file cannot be read.
   */
  public static Properties merge(Path configFile, Properties flagsGiven) {
    Properties merged = new Properties();
    if (configFile != null) {
      try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
        merged.load(reader);
      } catch (IOException e) {
        throw new CairnException(ErrorCode.IO_ERROR,
            "cannot read config file " + configFile + ": " + e, e);
      }
    }
    if (flagsGiven != null) {
      merged.putAll(flagsGiven);
    }
    return merged;
  }

  /**
   * Refuses, as BAD_FORMAT naming it, a key that is neither in {@code keys} nor starts with one
   * of {@code prefixes}: a typo must stop the start, never fall back to a default silently.
   */
  public static void checkKnown(String server, Properties properties, Set<String> keys,
      Set<String> prefixes) {
    for (String key : properties.stringPropertyNames()) {
      if (!keys.contains(key) && !COMMON_KEYS.contains(key)
          && prefixes.stream().noneMatch(key::startsWith)) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "unknown " + server + " setting '"
            + key + "'; known: " + keys + ", " + COMMON_KEYS
            + (prefixes.isEmpty() ? "" : " and the prefixes " + prefixes));
      }
    }
  }

  /** Returns the trimmed value of {@code key}, or null when absent or blank. */
  public static String value(Properties properties, String key) {
    String value = properties.getProperty(key);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /**
   * Returns the value of {@code key} as {@code parse} reads it, or {@code absent} when the key
   * is absent or blank; a value it refuses is BAD_FORMAT naming {@code server} and the key.
   */
  public static <T> T parsed(String server, Properties properties, String key, T absent,
      Function<String, T> parse) {
    String text = value(properties, key);
    return text == null ? absent : parsed(server, key, () -> parse.apply(text));
  }

  /**
   * Runs {@code parser}, which reads setting {@code key}; its complaint (IllegalArgumentException
   * or CairnException) becomes BAD_FORMAT "{@code server} setting '{@code key}': why".
   */
  public static <T> T parsed(String server, String key, Supplier<T> parser) {
    try {
      return parser.get();
    } catch (CairnException | IllegalArgumentException e) {
      String problem = e instanceof CairnException cairn ? cairn.detail() : e.getMessage();
      throw new CairnException(ErrorCode.BAD_FORMAT, server + " setting '" + key + "': "
          + problem, e);
    }
  }
}
