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
import java.util.BitSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.duckdb.DuckDBConnection;

/**
 * One embedded in-memory DuckDB database that holds the resident columns of batches.
 *
 * <p>Each resident batch is a table {@code "cairn_cache"."b_<id hex>"} holding the columns
 * queries have asked for so far, loaded from decoded Arrow through the C data interface (no
 * row-by-row copy). More columns are added by rebuilding the table as itself positionally
 * joined with the new columns; DuckDB's MVCC lets a query already reading the old table finish
 * on it.
 *
 * <p>A query reads a table version through a view of its own session over {@link #select}: the
 * UNION ALL of exactly the batches it needs, in manifest order, with the columns it reads; or,
 * once a version's batches were merged ({@link #merge}, {@link MergedTables}), the one merged
 * table, filtered to the batches it needs. No view is shared between sessions, and a session
 * runs one query at a time, so nothing a query reads can change under it; a batch or merged
 * table is dropped only when the cache evicts it, which it never does to one a running query
 * pinned.
 */
final class DuckDbStore implements AutoCloseable {
  private static final AtomicLong STREAM_NUMBER = new AtomicLong();

  private final DuckDBConnection owner;
  /** Idle connections that load batches; one per concurrent load, made on demand. */
  private final ConcurrentLinkedQueue<DuckDBConnection> loaders = new ConcurrentLinkedQueue<>();
  private final MergedTables merged = new MergedTables();
  private volatile boolean closed;

  /** Opens an in-memory database limited to {@code threads} and {@code memoryLimit}. */
  DuckDbStore(int threads, String memoryLimit) {
    Properties properties = new Properties();
    properties.setProperty("threads", Integer.toString(threads));
    properties.setProperty("memory_limit", memoryLimit);
    try {
      Class.forName("org.duckdb.DuckDBDriver");
      owner = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", properties);
      execute("CREATE SCHEMA IF NOT EXISTS " + Sql.quote(Sql.CACHE_SCHEMA));
      useUtc();
    } catch (SQLException | ClassNotFoundException e) {
      throw new CairnException(ErrorCode.INTERNAL, "cannot start the embedded DuckDB: "
          + e.getMessage(), e);
    }
  }

  /**
   * Makes DuckDB show, cast and add to TIMESTAMPTZ values in UTC, whatever the machine's zone,
   * so that results and pruning (which reads Calcite's literals as UTC) agree everywhere.
   * Without the ICU extension (not bundled with the JDBC driver, and not loadable offline)
   * DuckDB has no time zones at all and already works in UTC; then the setting is refused
   * and not needed.
   */
  private void useUtc() {
    try {
      execute("SET TimeZone = 'UTC'");
    } catch (SQLException e) {
      // No ICU: TIMESTAMPTZ is UTC by construction.
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

  /** Returns an idle loader connection, or a new one; give it back with {@link #returnLoader}. */
  DuckDBConnection borrowLoader() {
    DuckDBConnection connection = loaders.poll();
    return connection != null ? connection : newConnection();
  }

  /** Takes back a loader connection for the next load (closes it if the store is closed). */
  void returnLoader(DuckDBConnection connection) {
    loaders.add(connection);
    if (closed) {
      closeLoaders();
    }
  }

  private void closeLoaders() {
    for (DuckDBConnection c; (c = loaders.poll()) != null; ) {
      try {
        c.close();
      } catch (SQLException e) {
        // The database is closing; nothing is lost.
      }
    }
  }

  /**
   * Loads the columns of {@code batch} (decoded with only some columns, or all) into the table
   * of {@code id} through {@code connection} (the caller's own, so sessions load in parallel):
   * as a new table, or with {@code addToExisting} as columns added to the resident ones.
   * Returns the Arrow bytes the new columns account for.
   */
  static long load(DuckDBConnection connection, BufferAllocator allocator, ContentId id,
      DecodedBatch batch, boolean addToExisting) throws SQLException {
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
    String table = Sql.batchTable(id);
    try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
      Data.exportArrayStream(allocator, new ArrowRootsReader(allocator,
          DuckDbArrowSchema.of(batch.schema()), batch.roots()), stream);
      connection.registerArrowStream(streamName, stream);
      try (Statement s = connection.createStatement()) {
        s.execute("CREATE OR REPLACE TABLE " + table + " AS SELECT * FROM "
            + (addToExisting ? table + " POSITIONAL JOIN " + streamName : streamName));
      }
    }
    return Math.max(bytes, 1);
  }

  /**
   * Returns a SELECT over the resident batches {@code batches} (in manifest order; an id may
   * appear twice) exposing only the table columns at {@code columns}, in schema order: every
   * column the query reads, and no other. Placeholder NULL columns would cost DuckDB 3-4x on a
   * wide table's scan (it carries them through the UNION ALL), and a column the analysis
   * missed fails loudly as unknown rather than reading as NULL. Only a batch written before
   * its table gained a column reads that column as a NULL ({@link BatchColumns#selectItem}).
   */
  static String select(BatchColumns layout, List<ContentId> batches, Set<Integer> columns) {
    TableSchema schema = layout.table();
    if (batches.isEmpty()) {
      return Sql.emptySelect(schema, columns);
    }
    StringBuilder sql = new StringBuilder();
    String separator = "";
    for (ContentId id : batches) {
      sql.append(separator).append("SELECT ").append(selectList(layout, id, columns))
          .append(" FROM ").append(Sql.batchTable(id));
      separator = " UNION ALL ";
    }
    return sql.toString();
  }

  /**
   * Returns a SELECT exposing the table {@code columns} of {@code relation}, which holds the
   * columns of batches stored as {@code like} is (batches arriving to a running query).
   */
  static String selectArriving(BatchColumns layout, ContentId like, Set<Integer> columns,
      String relation) {
    return "SELECT " + selectList(layout, like, columns) + " FROM " + Sql.quote(relation);
  }

  /** Returns the SELECT list that reads the table {@code columns} from batch {@code id}. */
  private static String selectList(BatchColumns layout, ContentId id, Set<Integer> columns) {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < layout.table().size(); i++) {
      if (columns.contains(i)) {
        list.append(list.length() == 0 ? "" : ", ").append(layout.selectItem(id, i));
      }
    }
    return list.toString();
  }

  /** Returns the merged tables of this store. */
  MergedTables merged() {
    return merged;
  }

  /**
   * Builds, through {@code connection}, the merged table of {@code batches} (resident, pinned
   * by the caller, in manifest order) with the columns of {@code schema} at {@code columns},
   * and returns it; registering it (so other queries read it) is the caller's, once the cache
   * accounted for it.
   */
  static MergedTables.Merged merge(DuckDBConnection connection, BatchColumns layout,
      List<ContentId> batches, BitSet columns) throws SQLException {
    TableSchema schema = layout.table();
    ContentId id = MergedTables.mergedId(schema, batches, columns);
    Set<Integer> columnSet = new java.util.HashSet<>();
    columns.stream().forEach(columnSet::add);
    StringBuilder sql = new StringBuilder("CREATE OR REPLACE TABLE ")
        .append(Sql.mergedTable(id)).append(" AS ");
    for (int i = 0; i < batches.size(); i++) {
      sql.append(i == 0 ? "" : " UNION ALL ").append("SELECT CAST(").append(i)
          .append(" AS INTEGER) AS ").append(Sql.quote(MergedTables.ORDINAL)).append(", ")
          .append(selectList(layout, batches.get(i), columnSet))
          .append(" FROM ").append(Sql.batchTable(batches.get(i)));
    }
    // No ORDER BY: DuckDB keeps the union's order (preserve_insertion_order), so the
    // ordinal's zone maps still skip row groups, and sorting would make the copy 4x slower.
    try (Statement s = connection.createStatement()) {
      s.execute(sql.toString());
    }
    return new MergedTables.Merged(id, schema, List.copyOf(batches), (BitSet) columns.clone());
  }

  /**
   * Returns a SELECT over the merged table {@code m} exposing the columns of {@code schema} at
   * {@code columns} of the batches at positions {@code first} to {@code last} (inclusive) of its
   * batch list; all rows when that is the whole list.
   */
  static String selectMerged(TableSchema schema, MergedTables.Merged m, int first, int last,
      Set<Integer> columns) {
    StringBuilder sql = new StringBuilder("SELECT ");
    String separator = "";
    for (int i = 0; i < schema.size(); i++) {
      if (columns.contains(i)) {
        sql.append(separator).append(Sql.quote(schema.column(i).name()));
        separator = ", ";
      }
    }
    sql.append(" FROM ").append(m.table());
    if (first > 0 || last < m.batches().size() - 1) {
      sql.append(" WHERE ").append(Sql.quote(MergedTables.ORDINAL)).append(" BETWEEN ")
          .append(first).append(" AND ").append(last);
    }
    return sql.toString();
  }

  /** Drops the table of an evicted batch or merged table. */
  synchronized void evict(ContentId id) {
    try {
      var m = merged.unregister(id);
      if (m.isPresent()) {
        execute("DROP TABLE IF EXISTS " + m.get().table());
        return;
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
    closed = true;
    closeLoaders();
    try {
      owner.close();
    } catch (SQLException e) {
      // Closing an in-memory database frees it; nothing is lost.
    }
  }
}
