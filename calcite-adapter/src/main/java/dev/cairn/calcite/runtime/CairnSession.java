package dev.cairn.calcite.runtime;

import static java.util.Objects.requireNonNull;

import dev.cairn.calcite.sql.QueryTranslator;
import dev.cairn.calcite.sql.TableUse;
import dev.cairn.calcite.sql.TranslatedQuery;
import dev.cairn.client.fetch.FetchOptions;
import dev.cairn.client.fetch.FetchRequest;
import dev.cairn.client.fetch.FetchScheduler;
import dev.cairn.client.fetch.HolderDirectory;
import dev.cairn.client.fetch.HolderStats;
import dev.cairn.client.fetch.StripeFetcher;
import dev.cairn.client.net.MetaClient;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.RedundancyPolicy;
import dev.cairn.wire.rpc.Exchanges;
import java.net.InetSocketAddress;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/**
 * One client session (one JDBC connection): its metadata services, default schema, own DuckDB
 * connection, and the query pipeline.
 *
 * <p>Each query: take a {@link CatalogSnapshot} (the verified heads of the tables it names,
 * pinned for the whole query, kept between queries for {@code heads.max-age}), translate against it (or re-use the translation if the heads it resolved are the
 * same), refuse forked heads and expired ones ({@link CatalogSnapshot#checkReadable}),
 * prune each table's batches with their signed statistics, stop at a plain
 * scan's row limit, make the columns the query reads of the surviving batches resident
 * ({@link BatchLoader}), read each table version through this session's own view over exactly
 * those ({@link SessionViews}), materialise used system tables, and run the one DuckDB
 * statement. Results are DuckDB's own (materialised)
 * result sets. A session runs one query at a time; sessions run in parallel.
 *
 * <p>Each execution carries a {@link QueryCancel}: cancelling it (a statement's cancel or
 * timeout, or {@link #close}) stops the loads and the DuckDB statement and fails the query with
 * CANCELLED. A session opened without a runtime counts as a user of the shared runtime for its
 * settings and releases it when it closes; one opened on an owned runtime only registers there.
 */
public final class CairnSession implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CairnSession.class.getName());
  private static final QueryTranslator TRANSLATOR = new QueryTranslator();

  /** Binds parameters into the DuckDB statement just before it runs. */
  @FunctionalInterface
  public interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /** Per-donor cap on concurrent fetches: with 8 in flight, at least 3 donors share a scan. */
  private static final int PER_HOLDER_IN_FLIGHT_MAX = 3;

  private final RuntimeConfig config;
  private final CairnRuntime runtime;
  private final MetaClient meta;
  private final HeadTracker tracker;
  private final BlobSource source;
  private FetchScheduler scheduler; // null when the caller supplied its own source
  private final DuckDBConnection duckdb;
  private final SessionViews views;
  private boolean freed; // guarded by this: close freed the DuckDB connection
  /** True if closing this session releases its (shared) runtime. */
  private boolean releaseRuntime;
  private final TranslationCache translations = new TranslationCache();
  private final SessionCounters counters = new SessionCounters();
  private final SessionHeads heads;
  private volatile String defaultSchema;
  private volatile Runnable afterSnapshot = () -> { };
  /** The execution running now, or null: {@link #close} cancels it. */
  private volatile QueryCancel running;
  private volatile boolean closed;

  private CairnSession(CairnRuntime runtime, List<InetSocketAddress> metas, String defaultSchema,
      RuntimeConfig config, HeadTracker tracker, BlobSource source) {
    this.config = requireNonNull(config, "config");
    this.runtime = runtime;
    this.meta = new MetaClient(runtime.pool, metas, config.callTimeout());
    this.tracker = tracker != null ? tracker : runtime.heads;
    this.heads = new SessionHeads(meta, this.tracker, config.headsMaxAge(), counters);
    this.defaultSchema = defaultSchema;
    this.source = source != null ? source : fetcherSource();
    this.duckdb = runtime.store.newConnection();
    this.views = new SessionViews(duckdb);
  }

  /** Opens a session on {@code runtime} (shared or owned), closing what it made on failure. */
  private static CairnSession openOn(CairnRuntime runtime, boolean release,
      List<InetSocketAddress> metas, String defaultSchema, RuntimeConfig config,
      HeadTracker tracker, BlobSource source) {
    CairnSession session = null;
    try {
      session = new CairnSession(runtime, metas, defaultSchema, config, tracker, source);
      session.releaseRuntime = release;
      runtime.attach(session);
      return session;
    } catch (RuntimeException e) {
      if (session != null) {
        session.closeOwnParts();
      }
      if (release) {
        runtime.release();
      }
      throw e;
    }
  }

  /**
   * Opens a session over {@code metas} on the shared runtime for {@code config}'s runtime
   * settings, with its head tracker (kept in the cache directory, or in the runtime's memory
   * without one) and the blob fetcher.
   */
  public static CairnSession open(List<InetSocketAddress> metas, String defaultSchema,
      RuntimeConfig config) {
    return open(metas, defaultSchema, config, null, null);
  }

  /**
   * Opens a session on {@code runtime}, which its owner created with {@code config}'s runtime
   * settings and closes (closing it closes this session); {@code config} gives the per-session
   * settings.
   */
  public static CairnSession open(CairnRuntime runtime, List<InetSocketAddress> metas,
      String defaultSchema, RuntimeConfig config) {
    return openOn(requireNonNull(runtime, "runtime"), false, metas, defaultSchema, config, null,
        null);
  }

  /**
   * Opens a session with its own head tracker (null: the runtime's) and blob source (null:
   * the blob fetcher).
   */
  public static CairnSession open(List<InetSocketAddress> metas, String defaultSchema,
      RuntimeConfig config, HeadTracker tracker, BlobSource source) {
    return openOn(CairnRuntime.acquireShared(config), true, metas, defaultSchema, config, tracker,
        source);
  }

  /**
   * Returns the multi-source scheduler as the blob source: each of the loader's concurrent
   * fetches goes to the best-ranked near holder with room (at most 3 in flight per donor, so
   * a scan spreads over several donors), verified, failed over and hedged.
   */
  private BlobSource fetcherSource() {
    FetchOptions options = FetchOptions.defaults()
        .withParallelism(config.fetchParallelism(), PER_HOLDER_IN_FLIGHT_MAX)
        .withCallTimeout(config.callTimeout());
    scheduler = new FetchScheduler(runtime.pool, options, (holder, id, why) -> {
      counters.badHolders.incrementAndGet();
      LOG.log(Level.WARNING, "holder " + HostPort.format(holder) + " served bad bytes for "
          + id.toShortHex() + ": " + why.getMessage());
    });
    FetchScheduler fetches = scheduler;
    StripeFetcher stripes = new StripeFetcher(fetches);
    return new BlobSource() {
      @Override
      public byte[] fetch(ContentId id, long expectedBytes, List<InetSocketAddress> holders) {
        return fetches.fetchOne(new FetchRequest(id, expectedBytes, holders));
      }

      @Override
      public byte[] fetchStripe(BatchRef batch, RedundancyPolicy policy,
          Map<ContentId, List<InetSocketAddress>> holders) {
        return stripes.fetch(batch, policy, holders);
      }
    };
  }

  /**
   * Returns this client's round-trip time to a donor in milliseconds: the fetch scheduler's
   * estimate when it has one, else one PING now; null when the donor does not answer.
   */
  private Double rttMillis(String address) {
    InetSocketAddress target;
    try {
      target = HostPort.parse(address).resolve();
    } catch (CairnException e) {
      return null;
    }
    if (scheduler != null) {
      HolderStats known = scheduler.stats(target);
      if (known != null && known.rttMillis() >= 0) {
        return known.rttMillis();
      }
    }
    long start = System.nanoTime();
    try {
      Exchanges.PING.call(runtime.pool.get(target), config.callTimeout());
      return (System.nanoTime() - start) / 1e6;
    } catch (CairnException e) {
      return null; // also when interrupted: the flag stays set for the caller
    }
  }

  public String defaultSchema() {
    return defaultSchema;
  }

  /** Sets the schema unqualified table names are looked up in (null: none). */
  public void setDefaultSchema(String schema) {
    this.defaultSchema = schema;
  }

  /** Returns the timeout of each request to a service ({@code timeout}). */
  public Duration callTimeout() {
    return config.callTimeout();
  }

  public SessionCounters counters() {
    return counters;
  }

  public MetaClient metaClient() {
    return meta;
  }

  public CairnRuntime runtime() {
    return runtime;
  }

  /**
   * Test hook: runs after each query's snapshot has resolved the heads it reads and before
   * anything is loaded.
   */
  public void setAfterSnapshotHook(Runnable hook) {
    this.afterSnapshot = hook == null ? () -> { } : hook;
  }

  /**
   * Returns a snapshot of the table heads for one query: each head is read (or taken from
   * those kept for {@code heads.max-age}) when the query names its table, and checked against
   * what this reader saw.
   */
  public CatalogSnapshot snapshot() {
    return new CatalogSnapshot(meta, heads, tracker, counters);
  }

  /**
   * Returns a query for {@code sql}, translated when it first runs, or carrying this session's
   * last translation of the same text and its idle DuckDB statement (re-used only if the heads
   * it resolved and the default schema are unchanged); closing it gives the statement back.
   */
  public synchronized PreparedQuery query(String sql) {
    PreparedQuery query = new PreparedQuery(sql);
    translations.recall(query);
    return query;
  }

  /** Returns a query for {@code sql}, translated now against a fresh snapshot. */
  public synchronized PreparedQuery prepare(String sql) {
    checkOpen();
    PreparedQuery query = new PreparedQuery(sql);
    translate(query, snapshot());
    return query;
  }

  private void translate(PreparedQuery query, CatalogSnapshot snapshot) {
    String schema = defaultSchema;
    if (query.translated != null && Objects.equals(schema, query.schemaUsed)
        && snapshot.sameHeads(query.headsUsed)) {
      snapshot.recordLookups(query.headsUsed);
      return;
    }
    query.translated = translate(query.sql, snapshot, schema);
    counters.translations.incrementAndGet();
    query.headsUsed = snapshot.headsLookedUp();
    query.schemaUsed = schema;
    translations.remember(query);
  }

  /** Translates {@code sql} with this session's relation names (its views). */
  private TranslatedQuery translate(String sql, CatalogSnapshot snapshot, String schema) {
    return TRANSLATOR.translate(sql, snapshot, schema, views);
  }

  /**
   * Runs {@code query} with parameters from {@code binder} and returns DuckDB's result set,
   * which stays valid until the query is closed or run again.
   */
  public ResultSet execute(PreparedQuery query, Binder binder) throws SQLException {
    return execute(query, binder, 0, new QueryCancel());
  }

  /**
   * Runs {@code query} like {@link #execute(PreparedQuery, Binder)}, returning at most {@code
   * maxRows} rows (0: all), until {@code cancel} stops it (CANCELLED).
   */
  public synchronized ResultSet execute(PreparedQuery query, Binder binder, long maxRows,
      QueryCancel cancel) throws SQLException {
    checkOpen();
    running = cancel;
    try {
      return executeUnlessCancelled(query, binder, maxRows, cancel);
    } finally {
      running = null;
    }
  }

  private ResultSet executeUnlessCancelled(PreparedQuery query, Binder binder, long maxRows,
      QueryCancel cancel) throws SQLException {
    cancel.check();
    counters.queries.incrementAndGet();
    long start = System.nanoTime();
    CatalogSnapshot snapshot = snapshot();
    translate(query, snapshot); // resolves the heads the query names
    afterSnapshot.run();
    TranslatedQuery t = query.translated;
    snapshot.checkReadable(t.tables(), System.currentTimeMillis());
    long planned = System.nanoTime();
    counters.planNanos.addAndGet(planned - start);
    HolderDirectory holders = new HolderDirectory(meta);
    BatchLoader loader = new BatchLoader(runtime, source, holders, counters,
        config.fetchParallelism(), cancel);
    long ran = 0;
    try {
      // The SQL already names this session's relations (see SessionViews); fill them. The
      // batches of every table load together (BatchLoader#ensureResident).
      List<TableRead> reads = new ArrayList<>();
      for (TableUse use : t.tables()) {
        cancel.check();
        if (use.system()) {
          SystemTableWriter.write(duckdb, use.schema(), use.table(), snapshot, holders,
              this::rttMillis);
        } else {
          reads.add(plan(snapshot, use,
              t.tables().size() == 1 ? t.rowLimit() : OptionalLong.empty()));
        }
      }
      List<BatchLoader.Need> needs = reads.stream().map(TableRead::need).toList();
      ArrivingBatches arriving = t.arrivingScan() && config.coldOverlap() && reads.size() == 1
          ? ArrivingBatches.forNeed(runtime.allocator, needs.get(0)) : null;
      CompletableFuture<List<Boolean>> loads = arriving == null ? null
          : loadWhileQuerying(loader, needs, arriving);
      List<Boolean> warm;
      if (loads == null) {
        warm = loader.ensureResident(needs);
      } else {
        try (arriving) {
          CompletableFuture.anyOf(arriving.decision(), loads).handle((v, e) -> null).join();
          if (arriving.decision().getNow(false)) {
            cancel.onCancel(() -> arriving.fail(cancel.error()));
            return runArriving(query, reads.get(0), arriving, loads, maxRows, binder, cancel,
                planned);
          }
          warm = await(loads);
        }
      }
      for (int i = 0; i < reads.size(); i++) {
        TableRead read = reads.get(i);
        BatchLoader.Need need = read.need();
        views.define(read.use(), VersionRelation.select(runtime, duckdb, counters, loader,
            need.layout(), read.all(), read.positions(), need.columns(), warm.get(i)));
      }
      cancel.check();
      long ready = System.nanoTime();
      counters.tablesNanos.addAndGet(ready - planned);
      try {
        return run(query, MaxRows.apply(t.duckdbSql(), query.columns(), maxRows), binder,
            cancel);
      } finally {
        ran = System.nanoTime();
        counters.duckdbNanos.addAndGet(ran - ready);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CairnException(ErrorCode.IO_ERROR, "interrupted while loading batches", e);
    } finally {
      loader.unpinAll();
      if (ran != 0) {
        counters.releaseNanos.addAndGet(System.nanoTime() - ran);
      }
    }
  }

  /**
   * Starts {@code loader} making {@code needs} resident on an arrival thread, offering it to
   * hand the one need's batches to the query through {@code arriving}; returns null (nothing
   * started) if no arrival thread is free.
   */
  private CompletableFuture<List<Boolean>> loadWhileQuerying(BatchLoader loader,
      List<BatchLoader.Need> needs, ArrivingBatches arriving) {
    try {
      return CompletableFuture.supplyAsync(() -> {
        loader.offerArrivals(needs.get(0), arriving);
        try {
          return loader.ensureResident(needs);
        } catch (InterruptedException e) {
          throw new CairnException(ErrorCode.IO_ERROR, "interrupted while loading batches", e);
        }
      }, runtime.arrivalThreads);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  /** Waits for {@code loads} and returns what it returned, or throws what it threw. */
  private static List<Boolean> await(CompletableFuture<List<Boolean>> loads) {
    try {
      return loads.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * Runs {@code query} on DuckDB while the batches of its one table still arrive: the view of
   * {@code read} is the arriving stream. Returns once DuckDB answered and every load finished
   * (so the query's pins are all taken before they are released); a load's failure is the
   * query's error, named as the load named it, rather than DuckDB's report of a failed scan.
   */
  private ResultSet runArriving(PreparedQuery query, TableRead read, ArrivingBatches arriving,
      CompletableFuture<List<Boolean>> loads, long maxRows, Binder binder, QueryCancel cancel,
      long planned) throws SQLException {
    BatchLoader.Need need = read.need();
    Set<Integer> columns = need.columns().stream().boxed().collect(Collectors.toSet());
    long ready = System.nanoTime();
    counters.tablesNanos.addAndGet(ready - planned);
    ResultSet result;
    try {
      views.define(read.use(), DuckDbStore.selectArriving(need.layout(),
          need.batches().get(0).id(), columns, arriving.register(duckdb)));
      // DuckDB produces a registered stream once, and a statement whose plan scanned one
      // fails when run again ("This stream has been released"), even after its view was
      // redefined. So the statement is prepared afresh for this stream, and the next run
      // prepares its own.
      query.closeDuckdb();
      result = run(query, MaxRows.apply(query.translated.duckdbSql(), query.columns(), maxRows),
          binder, cancel);
    } catch (SQLException | RuntimeException e) {
      // Loads waiting to hand over a batch finish now, and the query's pins are all taken
      // before the caller releases them; a load's failure, named as the load named it, is the
      // query's error.
      arriving.abandon();
      await(loads);
      throw e;
    } finally {
      counters.duckdbNanos.addAndGet(System.nanoTime() - ready);
      query.duckdbSql = null; // re-prepared by the next run (its result set stays open now)
    }
    arriving.abandon();
    try {
      await(loads);
    } catch (RuntimeException e) {
      result.close();
      throw e;
    }
    return result;
  }

  /**
   * Prepares (once per text, and again after DuckDB closed it on an interrupt) and runs the
   * DuckDB statement {@code sql} of {@code query}; a failure DuckDB reports becomes a named
   * {@link QueryExecutionException}, and any failure of a cancelled query is CANCELLED.
   */
  private ResultSet run(PreparedQuery query, String sql, Binder binder, QueryCancel cancel)
      throws SQLException {
    ResultSet result = null;
    try {
      if (query.duckdb == null || query.duckdb.isClosed() || !sql.equals(query.duckdbSql)) {
        query.closeDuckdb();
        query.duckdb = duckdb.prepareStatement(sql);
        counters.duckdbPrepares.incrementAndGet();
        query.duckdbSql = sql;
      }
      query.duckdb.clearParameters();
      binder.bind(query.duckdb);
      cancel.executing(query.duckdb, runtime.timer);
      try {
        cancel.check(); // cancelled while binding: do not start DuckDB at all
        result = query.duckdb.executeQuery();
      } finally {
        cancel.doneExecuting();
      }
      // A cancel that came too late to interrupt DuckDB still ends the query.
      cancel.check();
      return result;
    } catch (SQLException e) {
      if (cancel.isCancelled()) {
        throw cancel.error();
      }
      if (e.getSQLState() != null) {
        throw e; // set by Cairn's own code (a binder), already named
      }
      throw QueryExecutionException.of(e);
    } catch (CairnException e) {
      if (result != null) {
        result.close();
      }
      throw e;
    }
  }

  /** Returns true while DuckDB executes this session's current query (tests, diagnostics). */
  public boolean isExecutingInDuckdb() {
    QueryCancel now = running;
    return now != null && now.isExecuting();
  }

  /** Cancels the query this session runs now, if any, saying {@code why}. */
  public void cancelRunning(String why) {
    QueryCancel now = running;
    if (now != null) {
      now.cancel(why);
    }
  }

  /**
   * Runs {@code action} after {@code delay} on the runtime's timer thread (a query timeout);
   * cancel the returned future when it is no longer wanted.
   */
  public ScheduledFuture<?> schedule(Runnable action, Duration delay) {
    try {
      return runtime.timer.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      throw new CairnException(ErrorCode.IO_ERROR, "this Cairn connection is closed", e);
    }
  }

  /**
   * One table use of a query, planned: what it needs resident, and the positions of the
   * batches it reads among all the version's batches ({@code all}).
   */
  private record TableRead(TableUse use, BatchLoader.Need need, List<BatchRef> all,
      List<Integer> positions) { }

  /**
   * Returns what {@code use} needs resident: the columns it reads of the batches it needs
   * (pruned by their signed statistics, and stopped at a plain scan's row limit). Once they are
   * resident, this session's view over exactly those (through the version's merged table when
   * there is one, see {@link VersionRelation}) is what the query reads in place of the table
   * version.
   */
  private TableRead plan(CatalogSnapshot snapshot, TableUse use, OptionalLong rowLimit) {
    Manifest manifest = snapshot.manifest(use);
    List<BatchRef> needed = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    long rows = 0;
    for (int i = 0; i < manifest.batches().size(); i++) {
      BatchRef b = manifest.batches().get(i);
      if (rowLimit.isPresent() && rows >= rowLimit.getAsLong()) {
        counters.limitSkippedBatches.incrementAndGet();
      } else if (!BatchPruner.mayMatch(b.rowCount(), manifest.tableStats(b), use.pruning())) {
        counters.prunedBatches.incrementAndGet();
      } else {
        positions.add(i);
        needed.add(b);
        rows += b.rowCount();
      }
    }
    BitSet columns = new BitSet();
    use.columns().forEach(columns::set);
    BatchColumns layout = BatchColumns.of(manifest);
    if (columns.isEmpty()) {
      columns.set(rowCountColumn(layout, needed));
    }
    return new TableRead(use, new BatchLoader.Need(layout, manifest.redundancy(), needed,
        columns), manifest.batches(), positions);
  }

  /**
   * Returns the column to load for a query that reads none but needs the row count, such as
   * {@code count(*)}: one already resident if there is one, else the first fixed-width one.
   */
  private int rowCountColumn(BatchColumns layout, List<BatchRef> needed) {
    TableSchema schema = layout.table();
    BitSet resident = needed.isEmpty() ? new BitSet()
        : runtime.cache.residentColumns(needed.get(0).id());
    for (int own = resident.nextSetBit(0); own >= 0; own = resident.nextSetBit(own + 1)) {
      for (int i = 0; i < schema.size(); i++) {
        if (layout.storedIndex(needed.get(0).id(), i) == own) {
          return i; // a column some batch has resident, in the table's terms
        }
      }
    }
    for (int i = 0; i < schema.size(); i++) {
      if (schema.column(i).type().kind() != ColumnType.Kind.VARCHAR) {
        return i;
      }
    }
    return 0;
  }

  /** Returns true if a metadata service answers a PING within {@code timeout}. */
  public boolean ping(Duration timeout) {
    for (InetSocketAddress service : meta.services()) {
      try {
        Exchanges.PING.call(runtime.pool.get(service), timeout);
        return true;
      } catch (CairnException e) {
        if (Thread.currentThread().isInterrupted()) {
          return false;
        }
        LOG.fine("metadata service " + HostPort.format(service) + " did not answer: " + e);
      }
    }
    return false;
  }

  /** Returns this session's DuckDB connection (metadata queries run on it). */
  public DuckDBConnection duckdb() {
    return duckdb;
  }

  public boolean isClosed() {
    return closed;
  }

  private void checkOpen() {
    if (closed) {
      throw new CairnException(ErrorCode.IO_ERROR, "this Cairn connection is closed");
    }
  }

  /**
   * Cancels the query running now, then frees this session's DuckDB connection and fetch
   * threads, and releases a shared runtime (closing it if this was its last session).
   */
  @Override
  public void close() {
    closed = true; // no new query starts
    cancelRunning("the connection was closed");
    synchronized (this) {
      if (freed) {
        return; // closed before
      }
      freed = true;
      translations.clear();
      views.dropAll();
      closeOwnParts();
    }
    runtime.detach(this);
    if (releaseRuntime) {
      runtime.release();
    }
  }

  private void closeOwnParts() {
    if (scheduler != null) {
      scheduler.close();
    }
    try {
      duckdb.close();
    } catch (SQLException e) {
      LOG.log(Level.FINE, "closing a DuckDB connection", e);
    }
  }
}
