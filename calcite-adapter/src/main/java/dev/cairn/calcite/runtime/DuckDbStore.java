package dev.cairn.calcite.runtime;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.DecodedBatch;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.duckdb.DuckDBConnection;

/**
 * One embedded in-memory DuckDB database that holds resident batches and the views over them.
 *
 * <p>Each resident batch is a table {@code "cairn_cache"."b_<id hex>"}, loaded from decoded
 * Arrow through the C data interface (no row-by-row copy). A table version is a view
 * {@code "<schema>"."<table>$v<N>"}: the UNION ALL of the batch tables it covers, listed by
 * their position in the manifest (a batch id may legitimately appear twice). A view covers at
 * least the batches a running query needs and may cover more of the same version: pruning is
 * only ever sound, so a query's own WHERE removes the rows of batches it did not need.
 *
 * <p>Views are (re)defined under this object's lock, on the owner connection. Evicting a batch
 * first redefines every view that covers it without it, then drops its table; the cache never
 * evicts a batch a running query pinned, so no running query loses a table it reads.
 */
final class DuckDbStore implements AutoCloseable {
  /** A defined view: the manifest's batch ids and which positions it covers. */
  private record ViewDef(String relation, TableSchema schema, List<ContentId> batches,
      TreeSet<Integer> covered) { }

  private static final java.util.concurrent.atomic.AtomicLong STREAM_NUMBER =
      new java.util.concurrent.atomic.AtomicLong();

  private final DuckDBConnection owner;
  private final Map<String, ViewDef> views = new HashMap<>();
  private final Map<ContentId, Set<String>> viewsOfBatch = new HashMap<>();
  private final Set<String> schemas = new HashSet<>();

  /** Opens an in-memory database limited to {@code threads} and {@code memoryLimit}. */
  DuckDbStore(int threads, String memoryLimit) {
    Properties properties = new Properties();
    properties.setProperty("threads", Integer.toString(threads));
    properties.setProperty("memory_limit", memoryLimit);
    try {
      Class.forName("org.duckdb.DuckDBDriver");
      owner = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", properties);
      try (Statement s = owner.createStatement()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.quote(Sql.CACHE_SCHEMA));
      }
    } catch (SQLException | ClassNotFoundException e) {
      throw new CairnException(ErrorCode.INTERNAL, "cannot start the embedded DuckDB: "
          + e.getMessage(), e);
    }
  }

  /** Returns a new connection to this database for one session. */
  DuckDBConnection newConnection() {
    try {
      return owner.duplicate();
    } catch (SQLException e) {
      throw new CairnException(ErrorCode.INTERNAL, "cannot open a DuckDB connection: "
          + e.getMessage(), e);
    }
  }

  /**
   * Loads a decoded batch as table {@code b_<id>} through {@code connection} (the caller's own,
   * so sessions load in parallel). Returns the Arrow bytes it accounts for.
   */
  static long load(DuckDBConnection connection, BufferAllocator allocator, ContentId id,
      TableSchema schema, DecodedBatch batch) throws SQLException {
    // DuckDB keeps Arrow stream registrations by name for the whole database, and the first
    // registration of a name wins: a reused name would scan a freed stream. So every load
    // registers a fresh name; only the translator writes the SQL users run, so none can
    // name one of these.
    String streamName = "cairn_arrow_" + id.toHex().substring(0, 16) + "_"
        + STREAM_NUMBER.incrementAndGet();
    long bytes = 0;
    for (var root : batch.roots()) {
      for (var vector : root.getFieldVectors()) {
        bytes += vector.getBufferSize();
      }
    }
    try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
      Data.exportArrayStream(allocator, new ArrowRootsReader(allocator, schema.toArrow(),
          batch.roots()), stream);
      connection.registerArrowStream(streamName, stream);
      try (Statement s = connection.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS " + Sql.batchTable(id) + " AS SELECT * FROM "
            + streamName);
      }
    }
    return Math.max(bytes, 1);
  }

  /**
   * Makes sure the view of {@code relation} covers at least the manifest positions
   * {@code needed} (whose batches must be resident and pinned).
   */
  synchronized void ensureView(String schemaName, String relation, TableSchema schema,
      List<ContentId> batches, Set<Integer> needed) throws SQLException {
    ViewDef current = views.get(relation);
    if (current != null && current.covered().containsAll(needed)
        && current.batches().equals(batches)) {
      return;
    }
    TreeSet<Integer> covered = new TreeSet<>(needed);
    if (current != null && current.batches().equals(batches)) {
      covered.addAll(current.covered());
    }
    if (schemas.add(schemaName)) {
      execute("CREATE SCHEMA IF NOT EXISTS " + Sql.quote(schemaName));
    }
    define(new ViewDef(relation, schema, List.copyOf(batches), covered));
  }

  private void define(ViewDef view) throws SQLException {
    StringBuilder sql = new StringBuilder("CREATE OR REPLACE VIEW ").append(view.relation())
        .append(" AS ");
    if (view.covered().isEmpty()) {
      sql.append(Sql.emptySelect(view.schema()));
    } else {
      String separator = "";
      for (int position : view.covered()) {
        sql.append(separator).append("SELECT * FROM ")
            .append(Sql.batchTable(view.batches().get(position)));
        separator = " UNION ALL ";
      }
    }
    execute(sql.toString());
    ViewDef old = views.put(view.relation(), view);
    if (old != null) {
      for (int position : old.covered()) {
        Set<String> of = viewsOfBatch.get(old.batches().get(position));
        if (of != null) {
          of.remove(view.relation());
        }
      }
    }
    for (int position : view.covered()) {
      viewsOfBatch.computeIfAbsent(view.batches().get(position), k -> new HashSet<>())
          .add(view.relation());
    }
  }

  /** Redefines every view that covers {@code id} without it, then drops its table. */
  synchronized void evict(ContentId id) {
    try {
      Set<String> covering = viewsOfBatch.remove(id);
      for (String relation : covering == null ? List.<String>of() : new ArrayList<>(covering)) {
        ViewDef view = views.get(relation);
        TreeSet<Integer> remaining = new TreeSet<>();
        for (int position : view.covered()) {
          if (!view.batches().get(position).equals(id)) {
            remaining.add(position);
          }
        }
        define(new ViewDef(relation, view.schema(), view.batches(), remaining));
      }
      execute("DROP TABLE IF EXISTS " + Sql.batchTable(id));
    } catch (SQLException e) {
      throw new CairnException(ErrorCode.INTERNAL, "cannot evict batch " + id.toShortHex()
          + " from DuckDB: " + e.getMessage(), e);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement s = owner.createStatement()) {
      s.execute(sql);
    }
  }

  /** Returns the owner connection, for tests and diagnostics only. */
  Connection owner() {
    return owner;
  }

  @Override
  public synchronized void close() {
    try {
      owner.close();
    } catch (SQLException e) {
      // Closing an in-memory database frees it; nothing is lost.
    }
  }
}
