package dev.cairn.calcite.runtime;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stops one execution of a query from any thread (a JDBC statement's {@code cancel()}, its
 * timeout, or its connection closing): whatever the query does then ends, and it fails with
 * CANCELLED. Waiting for another session's load wakes up, running loads are interrupted (their
 * fetches with them) and no new one starts, and a DuckDB statement that is executing is
 * interrupted. One per execution; cancelling twice keeps the first reason.
 *
 * <p>DuckDB's interrupt only reaches a statement that is already executing, and the query
 * thread cannot tell DuckDB "about to execute" atomically, so while one is executing the
 * interrupt is sent again every {@value #RESEND_MS} ms on the runtime's timer until DuckDB
 * returns.
 */
public final class QueryCancel {
  private static final Logger LOG = Logger.getLogger(QueryCancel.class.getName());
  static final long RESEND_MS = 20;

  private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
  private volatile String reason;
  private final List<Runnable> actions = new ArrayList<>(); // guarded by this
  private PreparedStatement executing; // guarded by this
  private ScheduledExecutorService timer; // guarded by this

  /** Cancels the query, saying {@code why} in its error; later calls change nothing. */
  public void cancel(String why) {
    List<Runnable> toRun;
    synchronized (this) {
      if (reason != null) {
        return;
      }
      reason = requireNonNull(why, "why");
      toRun = List.copyOf(actions);
      actions.clear();
    }
    cancelled.complete(null);
    toRun.forEach(QueryCancel::runQuietly);
    interruptDuckdb();
  }

  /** Returns true once cancelled. */
  public boolean isCancelled() {
    return reason != null;
  }

  /** Throws CANCELLED if the query was cancelled. */
  public void check() {
    if (reason != null) {
      throw error();
    }
  }

  /** Returns the CANCELLED error this query fails with. */
  public CairnException error() {
    return new CairnException(ErrorCode.CANCELLED, "query cancelled: " + reason);
  }

  /** Completes when the query is cancelled (never otherwise). */
  CompletableFuture<Void> whenCancelled() {
    return cancelled;
  }

  /** Runs {@code action} when the query is cancelled, or now if it already was. */
  void onCancel(Runnable action) {
    synchronized (this) {
      if (reason == null) {
        actions.add(action);
        return;
      }
    }
    runQuietly(action);
  }

  /**
   * Marks {@code statement} as executing until {@link #doneExecuting}; a cancel interrupts it
   * (again every {@value #RESEND_MS} ms on {@code timer} until it returns).
   */
  void executing(PreparedStatement statement, ScheduledExecutorService timer) {
    synchronized (this) {
      this.executing = statement;
      this.timer = timer;
    }
    if (reason != null) {
      interruptDuckdb();
    }
  }

  /** Returns true while DuckDB executes this query's statement. */
  public synchronized boolean isExecuting() {
    return executing != null;
  }

  /** Marks the DuckDB statement as no longer executing: no interrupt reaches it after this. */
  synchronized void doneExecuting() {
    executing = null;
  }

  private synchronized void interruptDuckdb() {
    if (executing == null) {
      return;
    }
    try {
      executing.cancel();
    } catch (SQLException e) {
      LOG.log(Level.FINE, "interrupting a DuckDB statement", e);
    }
    try {
      timer.schedule(this::interruptDuckdb, RESEND_MS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The runtime is closing; it closes the statement too.
    }
  }

  private static void runQuietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "a cancel action failed", e);
    }
  }
}
