package dev.cairn.tpch.soak;

import dev.cairn.tpchdata.ResultMatch;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's readers: {@code connections} threads, each with its own jdbc:cairn connection,
 * running queries of the mix in a seeded random order until the run ends, checking every
 * answer and recording latencies, failures and wrong answers in the {@link SoakLedger}.
 */
final class QueryWorkers {
  private final String url;
  private final List<SoakQuery> mix;
  private final SoakLedger ledger;
  private final long seed;
  private final long endMs;
  private final int timeoutSeconds;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong queries = new AtomicLong();

  QueryWorkers(String url, List<SoakQuery> mix, SoakLedger ledger, int connections, long seed,
      long endMs, int timeoutSeconds) {
    this.url = url;
    this.mix = List.copyOf(mix);
    this.ledger = ledger;
    this.seed = seed;
    this.endMs = endMs;
    this.timeoutSeconds = timeoutSeconds;
    for (int i = 0; i < connections; i++) {
      int worker = i;
      threads.add(new Thread(() -> run(worker), "soak-reader-" + i));
    }
  }

  void start() {
    threads.forEach(Thread::start);
  }

  /** Returns how many queries were started. */
  long queries() {
    return queries.get();
  }

  /**
   * Waits, bounded by {@code limitMs} in all, for every reader to finish its last query;
   * each one still running then is recorded as a hang and interrupted.
   */
  void awaitEnd(long limitMs) throws InterruptedException {
    long deadline = System.nanoTime() + limitMs * 1_000_000;
    for (Thread thread : threads) {
      thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      if (thread.isAlive()) {
        StringBuilder stack = new StringBuilder();
        for (StackTraceElement element : thread.getStackTrace()) {
          stack.append("\n    at ").append(element);
        }
        ledger.hung(thread.getName() + " still running " + limitMs + " ms after the end"
            + stack);
        thread.interrupt();
      }
    }
  }

  private void run(int worker) {
    Random random = new Random(seed * 1_000 + worker);
    Connection connection = null;
    try {
      while (ledger.availability().nowMs() < endMs) {
        if (connection == null) {
          connection = open();
          if (connection == null) {
            continue;
          }
        }
        runOne(connection, mix.get(random.nextInt(mix.size())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException e) {
          ledger.failed("close", ledger.availability().nowMs(), e);
        }
      }
    }
  }

  /** Opens a connection, or records why not and pauses a second. */
  private Connection open() throws InterruptedException {
    long from = ledger.availability().nowMs();
    try {
      return DriverManager.getConnection(url);
    } catch (SQLException e) {
      ledger.failed("connect", from, e);
      Thread.sleep(1_000);
      return null;
    }
  }

  private void runOne(Connection connection, SoakQuery query) {
    queries.incrementAndGet();
    long from = ledger.availability().nowMs();
    List<List<Object>> rows;
    try (Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(timeoutSeconds);
      try (ResultSet result = statement.executeQuery(query.sql())) {
        rows = ResultMatch.rows(result);
      }
    } catch (SQLException | RuntimeException e) {
      ledger.failed(query.name(), from, e);
      return;
    }
    long to = ledger.availability().nowMs();
    String difference = query.difference(rows);
    if (difference != null) {
      ledger.wrong(query.name() + " at " + from + ".." + to + " ms: " + difference
          + "\n  sql: " + query.sql() + "\n  rows: " + rows);
    } else {
      ledger.answered(from, to);
    }
  }
}
