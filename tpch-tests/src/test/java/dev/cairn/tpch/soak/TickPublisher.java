package dev.cairn.tpch.soak;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.client.publish.Publisher;
import dev.cairn.tpchdata.ResultMatch;
import dev.cairn.wire.crypto.SigningKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The soak's writer: publishes a new version of a small table every {@code everyMs}, each
 * version's rows carrying the number of the attempt that wrote it ({@code gen}), keeping the
 * writer's head record as the CLI does. Each publish that returns is an acknowledged version;
 * at the end every one must read back by time travel ({@code table$vN}) with its own rows.
 */
final class TickPublisher {
  static final String SCHEMA = "soak";
  static final String TABLE = "ticks";
  static final int ROWS = 100;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
  private static final int CHECK_TRIES = 3;
  private static final long CHECK_PAUSE_MS = 5_000;

  private final List<InetSocketAddress> metas;
  private final SigningKey key;
  private final Path dir;
  private final int replicas;
  private final Set<Long> attempted = ConcurrentHashMap.newKeySet();
  private int attempts;
  private Thread thread;

  TickPublisher(List<InetSocketAddress> metas, SigningKey key, Path dir, int replicas) {
    this.metas = List.copyOf(metas);
    this.key = key;
    this.dir = dir;
    this.replicas = replicas;
  }

  /** Returns whether a publish carrying {@code gen} was attempted (so may be visible). */
  boolean attempted(long gen) {
    return attempted.contains(gen);
  }

  /** Publishes the next attempt now; throws what the publish threw. */
  PublishResult publishNext() throws IOException {
    int attempt = ++attempts;
    attempted.add((long) attempt);
    Path csv = dir.resolve("ticks-" + attempt + ".csv");
    StringBuilder rows = new StringBuilder("id,gen,label\n");
    for (int i = 1; i <= ROWS; i++) {
      rows.append(i).append(',').append(attempt).append(",t").append(attempt).append('-')
          .append(i).append('\n');
    }
    Files.writeString(csv, rows);
    try (ConnectionPool pool = new ConnectionPool(CALL_TIMEOUT)) {
      return new Publisher(pool, ProgressListener.NONE).publish(PublishRequest
          .of(metas, key, SCHEMA, TABLE, List.of(csv))
          .withReplicas(replicas)
          .withSchema("id BIGINT NOT NULL, gen BIGINT NOT NULL, label VARCHAR NOT NULL")
          .withCallTimeout(CALL_TIMEOUT)
          .withHeadRecord(dir.resolve("writer.heads")));
    } finally {
      Files.deleteIfExists(csv);
    }
  }

  /** Starts publishing every {@code everyMs} until {@code endMs}, recording in the ledger. */
  void start(SoakLedger ledger, long everyMs, long endMs) {
    thread = new Thread(() -> {
      try {
        while (ledger.availability().nowMs() + everyMs < endMs) {
          Thread.sleep(everyMs);
          long from = ledger.availability().nowMs();
          int attempt = attempts + 1;
          try {
            PublishResult result = publishNext();
            ledger.acknowledged(result.version(), attempt, result.metaFailures().toString());
          } catch (IOException | RuntimeException e) {
            ledger.failed("publish #" + attempt, from, e, true);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "soak-writer");
    thread.start();
  }

  /** Waits, bounded, for the last publish to return; a writer still running is a hang. */
  void awaitEnd(SoakLedger ledger, long limitMs) throws InterruptedException {
    thread.join(limitMs);
    if (thread.isAlive()) {
      ledger.hung("the writer is still publishing " + limitMs + " ms after the end");
      thread.interrupt();
    }
  }

  /**
   * Reads every acknowledged version back through {@code url} by time travel and records each
   * one that does not read as its own rows as lost (after {@link #CHECK_TRIES} tries, each
   * failure recorded).
   */
  void checkAcknowledged(SoakLedger ledger, String url) throws InterruptedException {
    for (SoakLedger.Ack ack : ledger.acks()) {
      String sql = "select count(*), min(gen), max(gen), sum(id) from " + SCHEMA + "." + TABLE
          + "$v" + ack.version();
      String problem = null;
      for (int tries = 1; tries <= CHECK_TRIES; tries++) {
        long from = ledger.availability().nowMs();
        try (Connection connection = DriverManager.getConnection(url);
            Statement statement = connection.createStatement();
            ResultSet result = statement.executeQuery(sql)) {
          List<Object> row = ResultMatch.rows(result).get(0);
          List<Long> got = row.stream().map(v -> ((Number) v).longValue()).toList();
          List<Long> want = List.of((long) ROWS, (long) ack.attempt(), (long) ack.attempt(),
              (long) ROWS * (ROWS + 1) / 2);
          problem = got.equals(want) ? null : "reads " + got + ", expected " + want;
          break;
        } catch (SQLException | RuntimeException e) {
          problem = ledger.failed("version check v" + ack.version(), from, e).message();
          Thread.sleep(CHECK_PAUSE_MS);
        }
      }
      if (problem != null) {
        ledger.lost("v" + ack.version() + " (attempt " + ack.attempt() + ", acknowledged at "
            + ack.atMs() + " ms): " + problem);
      }
    }
  }
}
