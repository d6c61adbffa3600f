package dev.cairn.cli;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ConfigLayers;
import dev.cairn.wire.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sets up the process's logging: java.util.logging (slf4j-jdk14 routes Arrow's and Netty's
 * slf4j calls into it), one line per record on stderr, Cairn's loggers at the level the
 * operator chose, and the libraries at WARNING so that their start-up chatter (Arrow prints
 * three INFO lines on its first allocation) stays out of every command's output
 * (docs/decisions.md, "Logging").
 *
 * <p>An operator's own {@code -Djava.util.logging.config.file} wins: then nothing is changed.
 */
final class Logging {
  /** The config key and flag (without dashes) of the level, the same for every server. */
  static final String LOG_LEVEL = ConfigLayers.LOG_LEVEL;
  /** Level of every command unless told otherwise. */
  static final Level DEFAULT_LEVEL = Level.INFO;
  /** Libraries quiet below WARNING whatever Cairn's own level is. */
  static final List<String> QUIET_LIBRARIES = List.of("org.apache.arrow", "io.netty",
      "org.apache.calcite", "org.duckdb");
  /** Operator spellings (slf4j names, plus java.util.logging's) and the level each means. */
  private static final Map<String, Level> LEVELS = Map.ofEntries(
      Map.entry("off", Level.OFF), Map.entry("error", Level.SEVERE),
      Map.entry("severe", Level.SEVERE), Map.entry("warn", Level.WARNING),
      Map.entry("warning", Level.WARNING), Map.entry("info", Level.INFO),
      Map.entry("debug", Level.FINE), Map.entry("fine", Level.FINE),
      Map.entry("trace", Level.FINEST), Map.entry("finest", Level.FINEST),
      Map.entry("all", Level.ALL));
  /** Help text of every {@code --log-level}. */
  static final String HELP = "Log level: error, warn, info, debug or trace (default: info). "
      + "Arrow, Netty, Calcite and DuckDB log at warn and above only.";

  private Logging() {}

  /** Returns the level an operator's word names; BAD_CONFIG for an unknown word. */
  static Level parse(String text) {
    Level level = LEVELS.get(text.trim().toLowerCase(Locale.ROOT));
    if (level == null) {
      throw new CairnException(ErrorCode.BAD_CONFIG, "log-level '" + text + "' is not one of "
          + "error, warn, info, debug, trace, off");
    }
    return level;
  }

  /**
   * Returns the level by the one precedence rule: the flag given, else the config file's
   * {@code log-level}, else {@link #DEFAULT_LEVEL}.
   */
  static Level resolve(Path configFile, String flagGiven) {
    if (flagGiven != null) {
      return parse(flagGiven);
    }
    if (configFile != null) {
      String fromFile = ConfigLayers.value(ConfigLayers.merge(configFile, null), LOG_LEVEL);
      if (fromFile != null) {
        return parse(fromFile);
      }
    }
    return DEFAULT_LEVEL;
  }

  /**
   * Applies {@code level} to Cairn's loggers and WARNING (or {@code level}, if stricter) to the
   * {@link #QUIET_LIBRARIES}, all written as one line per record to stderr.
   */
  static void configure(Level level) {
    if (System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    Level libraries = level.intValue() > Level.WARNING.intValue() ? level : Level.WARNING;
    Properties settings = new Properties();
    settings.setProperty(".level", level.getName());
    for (String library : QUIET_LIBRARIES) {
      // Kept by the LogManager for loggers created later, unlike Logger.setLevel on a logger
      // that may be garbage-collected before the library asks for it again.
      settings.setProperty(library + ".level", libraries.getName());
    }
    try {
      LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(
          propertiesText(settings).getBytes(StandardCharsets.ISO_8859_1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    Handler stderr = new Stderr();
    stderr.setLevel(Level.ALL);
    stderr.setFormatter(new OneLine());
    root.addHandler(stderr);
  }

  /**
   * Writes to whatever {@code System.err} is when a record arrives, unlike ConsoleHandler,
   * which keeps the stream it found when created (a command run in a test's captured stream
   * would otherwise keep logging into that capture after it ends).
   */
  static final class Stderr extends Handler {
    @Override
    public void publish(LogRecord record) {
      if (isLoggable(record)) {
        System.err.print(getFormatter().format(record));
      }
    }

    @Override
    public void flush() {
      System.err.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }

  private static String propertiesText(Properties settings) {
    StringBuilder text = new StringBuilder();
    settings.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    return text.toString();
  }

  /**
   * {@code 2026-12-03T00:12:17.123Z INFO StorageServer: message}: one line per record (journald
   * and grep see one event per line), the stack trace of a thrown exception after it.
   */
  static final class OneLine extends Formatter {
    @Override
    public String format(LogRecord record) {
      String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
      StringBuilder line = new StringBuilder(128)
          .append(Instant.ofEpochMilli(record.getMillis())).append(' ')
          .append(record.getLevel().getName()).append(' ')
          .append(logger.substring(logger.lastIndexOf('.') + 1)).append(": ")
          .append(formatMessage(record)).append(System.lineSeparator());
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        line.append(trace);
      }
      return line.toString();
    }
  }
}
