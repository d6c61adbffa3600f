package dev.cairn.tpch.soak;

import dev.cairn.wire.ErrorCode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the soak's readers and writer saw, shared by their threads: latencies of answered
 * queries, each error with its code and whether an outage touched it, wrong answers in full,
 * acknowledged versions and lost ones. Every problem is also logged at once.
 */
final class SoakLedger {
  /** The code of an error whose message does not start with an {@link ErrorCode} name. */
  static final String UNNAMED = "UNNAMED";

  /** One failure: of what (query name, publish, version check), its code, its span. */
  record Failure(String what, String code, long fromMs, long toMs, boolean duringOutage,
      String message) {}

  /** One acknowledged publish: the version the services took and the attempt it carries. */
  record Ack(long version, int attempt, long atMs) {}

  private final Availability availability;
  private final PrintStream log;
  private final List<Long> latenciesMs = new ArrayList<>();
  private final List<Failure> failures = new ArrayList<>();
  private final List<String> wrongAnswers = new ArrayList<>();
  private final List<Ack> acks = new ArrayList<>();
  private final List<String> lostVersions = new ArrayList<>();
  private final List<String> hangs = new ArrayList<>();

  SoakLedger(Availability availability, PrintStream log) {
    this.availability = availability;
    this.log = log;
  }

  Availability availability() {
    return availability;
  }

  synchronized void answered(long fromMs, long toMs) {
    latenciesMs.add(toMs - fromMs);
  }

  /** Records a failure of the read {@code what} that began at {@code fromMs} and ended now. */
  Failure failed(String what, long fromMs, Throwable error) {
    return failed(what, fromMs, error, false);
  }

  /**
   * Records a failure of {@code what} that began at {@code fromMs} and ended now; a {@code
   * write} needs R reachable donors, a read one holder.
   */
  Failure failed(String what, long fromMs, Throwable error, boolean write) {
    long toMs = availability.nowMs();
    String code = codeOf(error);
    Failure failure = new Failure(what, code, fromMs, toMs,
        availability.outageWithin(fromMs, toMs, write), String.valueOf(error.getMessage()));
    synchronized (this) {
      failures.add(failure);
    }
    String where = failure.duringOutage() ? "during an outage" : "OUTSIDE any outage";
    logLine(String.format(Locale.ROOT, "%s failed (%s, %s, %.1f s): %s", what, code, where,
        (toMs - fromMs) / 1000.0, firstLine(failure.message())));
    if (code.equals(UNNAMED) || !failure.duringOutage()) {
      logLine(stackTrace(error));
    }
    return failure;
  }

  /** Records a wrong answer, described in full. */
  void wrong(String description) {
    synchronized (this) {
      wrongAnswers.add(description);
    }
    logLine("WRONG ANSWER: " + description);
  }

  /**
   * Records an acknowledged version; {@code refusedBy} names the services that did not take it
   * (logged: until gossip carries it there, only the others have it).
   */
  void acknowledged(long version, int attempt, String refusedBy) {
    synchronized (this) {
      acks.add(new Ack(version, attempt, availability.nowMs()));
    }
    if (!refusedBy.equals("{}")) {
      logLine("published v" + version + " (attempt " + attempt + "), not taken by " + refusedBy);
    }
  }

  void lost(String description) {
    synchronized (this) {
      lostVersions.add(description);
    }
    logLine("LOST VERSION: " + description);
  }

  void hung(String description) {
    synchronized (this) {
      hangs.add(description);
    }
    logLine("HANG: " + description);
  }

  synchronized List<Long> latenciesMs() {
    return List.copyOf(latenciesMs);
  }

  synchronized List<Failure> failures() {
    return List.copyOf(failures);
  }

  synchronized List<String> wrongAnswers() {
    return List.copyOf(wrongAnswers);
  }

  synchronized List<Ack> acks() {
    return List.copyOf(acks);
  }

  synchronized List<String> lostVersions() {
    return List.copyOf(lostVersions);
  }

  synchronized List<String> hangs() {
    return List.copyOf(hangs);
  }

  /** Returns the failures whose message names no error code. */
  List<Failure> unnamed() {
    return failures().stream().filter(f -> f.code().equals(UNNAMED)).toList();
  }

  /** Returns the failures no outage can explain. */
  List<Failure> outsideOutages() {
    return failures().stream().filter(f -> !f.duringOutage()).toList();
  }

  /** Counts failures by "code, during outage or not". */
  Map<String, Integer> failureCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    for (Failure f : failures()) {
      counts.merge(f.code() + (f.duringOutage() ? " (outage)" : " (no outage)"), 1,
          Integer::sum);
    }
    return counts;
  }

  /** Returns the latency at quantile {@code q} (0..1) of answered queries, or -1 if none. */
  long latencyQuantileMs(double q) {
    List<Long> sorted = new ArrayList<>(latenciesMs());
    if (sorted.isEmpty()) {
      return -1;
    }
    Collections.sort(sorted);
    int index = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /**
   * Returns the error code a user sees: the {@link ErrorCode} name the message starts with,
   * else {@link #UNNAMED}.
   */
  static String codeOf(Throwable error) {
    String message = error.getMessage();
    if (message != null) {
      int colon = message.indexOf(':');
      if (colon > 0) {
        String prefix = message.substring(0, colon);
        for (ErrorCode code : ErrorCode.values()) {
          if (code.name().equals(prefix)) {
            return prefix;
          }
        }
      }
    }
    return UNNAMED;
  }

  private synchronized void logLine(String line) {
    log.printf(Locale.ROOT, "[%8.3f s] %s%n", availability.nowMs() / 1000.0, line);
  }

  static String firstLine(String message) {
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  private static String stackTrace(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
