package dev.cairn.wire.status;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The last {@value #KEPT} log lines at INFO or above under one logger (a server's package), for
 * the status page's "Recent events". Attached on start and detached on close; a JVM that runs
 * several servers (tests, {@code cairn demo}) shows each page the lines of all of them.
 */
public final class RecentEvents extends Handler {
  /** Lines kept; older ones are dropped. */
  public static final int KEPT = 50;

  /** One log line: when, how severe, what. */
  public record Event(Instant at, Level level, String message) {}

  private static final SimpleFormatter FORMAT = new SimpleFormatter();

  private final Logger logger;
  private final ArrayDeque<Event> events = new ArrayDeque<>(KEPT);

  private RecentEvents(Logger logger) {
    this.logger = logger;
    setLevel(Level.INFO);
  }

  /** Starts keeping the lines logged under {@code loggerName} (and the loggers below it). */
  public static RecentEvents attach(String loggerName) {
    RecentEvents recent = new RecentEvents(Logger.getLogger(loggerName));
    recent.logger.addHandler(recent);
    return recent;
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null || !isLoggable(record)) {
      return;
    }
    String message = FORMAT.formatMessage(record); // fills in {0}-style parameters
    if (record.getThrown() != null) {
      message = message + " (" + record.getThrown() + ")";
    }
    Event event = new Event(record.getInstant(), record.getLevel(), message);
    synchronized (events) {
      if (events.size() == KEPT) {
        events.removeFirst();
      }
      events.addLast(event);
    }
  }

  /** Returns the kept lines, newest first. */
  public List<Event> newestFirst() {
    synchronized (events) {
      List<Event> copy = new ArrayList<>(events);
      java.util.Collections.reverse(copy);
      return copy;
    }
  }

  @Override
  public void flush() {}

  /** Stops keeping lines. */
  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
