package dev.cairn.calcite.sql;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.duckdb.DuckDBDriver;

/**
 * DuckDB's own function library, read once per JVM from {@code duckdb_functions()} of a private
 * in-memory DuckDB, and that DuckDB's binder, asked how a call types.
 *
 * <p>Why ask the binder rather than re-implement overload resolution: DuckDB resolves a call
 * with implicit casts, ANY parameters, varargs and bind-time rules that look at constant
 * arguments ({@code date_trunc('month', d)}); its answer is by definition the type the query
 * will return, since the query runs on DuckDB. A call is typed by preparing
 * {@code SELECT f(CAST(NULL AS T1), 'literal', ...)} (prepared, never run) and reading its
 * result type; answers are cached per call shape ({@link #BINDINGS_MAX} at most).
 *
 * <p>Only side-effect-free functions are offered: nothing that reads files, the environment,
 * settings or DuckDB's own catalog (whose schemas are Cairn's internals), see {@link #offered}.
 * Table functions: only {@code range} and {@code generate_series}.
 */
final class DuckDbFunctionCatalog {
  private static final Logger LOG = Logger.getLogger(DuckDbFunctionCatalog.class.getName());

  /** Cap on cached bindings; the cache is emptied when full (call shapes repeat in practice). */
  static final int BINDINGS_MAX = 10_000;

  /** Name prefixes of functions that read files, settings or DuckDB's catalog. */
  private static final List<String> DENIED_PREFIXES = List.of("read_", "duckdb_", "pragma_",
      "pg_", "has_", "enable_", "disable_", "parquet_", "current_", "icu_", "sniff_",
      "json_execute", "register_", "deregister_", "create_external", "destroy_external",
      "test_", "which_secret", "truncate_duckdb");

  /** Functions with effects beyond their result, or that expose DuckDB's session. */
  private static final Set<String> DENIED = Set.of("getenv", "query", "query_table",
      "checkpoint", "force_checkpoint", "sleep_ms", "setseed", "nextval", "currval", "glob",
      "write_log", "txid_current", "in_search_path", "col_description", "obj_description",
      "shobj_description", "format_type", "format_pg_type", "session_user", "user",
      "current_user", "database_size", "version", "error", "arrow_scan", "arrow_scan_dumb",
      "summary", "seq_scan", "repeat_row", "json_each", "json_tree", "unnest");

  /** Table functions users may call in FROM. */
  private static final Set<String> TABLE_FUNCTIONS = Set.of("range", "generate_series");

  /** What a DuckDB function is. */
  enum Kind { SCALAR, AGGREGATE, TABLE }

  /** One overload: its parameter types, varargs type (null: none) and return type. */
  record Overload(List<String> parameterTypes, String varargs, String returnType) {
    /** Returns the overload as {@code name(T1, T2, ...)}. */
    String describe(String name) {
      List<String> all = new ArrayList<>(parameterTypes);
      if (varargs != null) {
        all.add(varargs + "...");
      }
      return name + "(" + String.join(", ", all) + ")";
    }
  }

  /** A function name of one kind with all its overloads. */
  record Function(String name, Kind kind, List<Overload> overloads) {
    /** Returns the fewest operands any overload takes. */
    int operandsMin() {
      return overloads.stream().mapToInt(o -> o.parameterTypes().size()).min().orElse(0);
    }

    /** Returns the most operands any overload takes, or -1 if one takes varargs. */
    int operandsMax() {
      int max = 0;
      for (Overload o : overloads) {
        if (o.varargs() != null) {
          return -1;
        }
        max = Math.max(max, o.parameterTypes().size());
      }
      return max;
    }
  }

  /** How DuckDB bound a statement: its result columns, or why it could not. */
  record Binding(List<String> columnNames, List<String> columnTypes, String error) {}

  private static volatile DuckDbFunctionCatalog instance;

  private final Map<String, Map<Kind, Function>> functions;
  private final Set<String> allNames;
  private final String duckdbVersion;
  private final long buildNanos;
  private final Connection binder;
  private final Map<String, Binding> bindings = new ConcurrentHashMap<>();

  private DuckDbFunctionCatalog(Map<String, Map<Kind, Function>> functions,
      Set<String> allNames, String duckdbVersion, long buildNanos, Connection binder) {
    this.functions = functions;
    this.allNames = allNames;
    this.duckdbVersion = duckdbVersion;
    this.buildNanos = buildNanos;
    this.binder = binder;
  }

  /** Returns the JVM's catalog, reading DuckDB's on first use. */
  static DuckDbFunctionCatalog get() {
    DuckDbFunctionCatalog c = instance;
    if (c == null) {
      synchronized (DuckDbFunctionCatalog.class) {
        c = instance;
        if (c == null) {
          c = read();
          instance = c;
        }
      }
    }
    return c;
  }

  private static DuckDbFunctionCatalog read() {
    long start = System.nanoTime();
    try {
      // DuckDB's driver directly, not through DriverManager: a tool that loads Cairn in a
      // class loader of its own (DBeaver, IntelliJ) has no DuckDB driver registered there.
      Connection connection = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
      Map<String, Map<Kind, List<Overload>>> found = new LinkedHashMap<>();
      String version;
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("SELECT function_name, function_type, parameter_types,"
              + " varargs, return_type FROM duckdb_functions()"
              + " WHERE function_type IN ('scalar', 'aggregate', 'table', 'macro')"
              + " ORDER BY function_name")) {
        while (rs.next()) {
          String name = rs.getString(1);
          Kind kind = kind(rs.getString(2));
          if (!offered(name, kind)) {
            continue;
          }
          found.computeIfAbsent(name, n -> new LinkedHashMap<>())
              .computeIfAbsent(kind, k -> new ArrayList<>())
              .add(new Overload(strings(rs.getArray(3)), rs.getString(4), rs.getString(5)));
        }
      }
      Set<String> allNames = new java.util.HashSet<>();
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("SELECT DISTINCT lower(function_name)"
              + " FROM duckdb_functions() WHERE function_type <> 'pragma'")) {
        while (rs.next()) {
          allNames.add(rs.getString(1));
        }
      }
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("SELECT library_version FROM pragma_version()")) {
        rs.next();
        version = rs.getString(1);
      }
      Map<String, Map<Kind, Function>> functions = new LinkedHashMap<>();
      found.forEach((name, kinds) -> {
        Map<Kind, Function> byKind = new LinkedHashMap<>();
        kinds.forEach((kind, overloads) ->
            byKind.put(kind, new Function(name, kind, List.copyOf(overloads))));
        functions.put(name, Collections.unmodifiableMap(byKind));
      });
      long nanos = System.nanoTime() - start;
      LOG.fine(() -> "read " + functions.size() + " DuckDB functions in " + nanos / 1_000_000
          + " ms");
      return new DuckDbFunctionCatalog(Collections.unmodifiableMap(functions),
          Set.copyOf(allNames), version, nanos, connection);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read DuckDB's function library", e);
    }
  }

  private static Kind kind(String type) {
    switch (type) {
      case "aggregate": return Kind.AGGREGATE;
      case "table": return Kind.TABLE;
      default: return Kind.SCALAR; // scalar functions and scalar macros
    }
  }

  /** Returns whether users may call {@code name} of {@code kind}. */
  static boolean offered(String name, Kind kind) {
    if (kind == Kind.TABLE) {
      return TABLE_FUNCTIONS.contains(name);
    }
    if (DENIED.contains(name) || !name.matches("[a-z_][a-z0-9_]*")) {
      return false;
    }
    for (String prefix : DENIED_PREFIXES) {
      if (name.startsWith(prefix)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> strings(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    Object[] values = (Object[]) array.getArray();
    List<String> out = new ArrayList<>(values.length);
    for (Object v : values) {
      out.add(String.valueOf(v));
    }
    return List.copyOf(out);
  }

  /** Returns the function {@code name} (any case) of {@code kind}, or null. */
  Function function(String name, Kind kind) {
    Map<Kind, Function> kinds = functions.get(name.toLowerCase(Locale.ROOT));
    return kinds == null ? null : kinds.get(kind);
  }

  /** Returns every function, by name and kind. */
  Map<String, Map<Kind, Function>> functions() {
    return functions;
  }

  /** Returns whether DuckDB defines a function {@code name} (any case, any kind). */
  boolean knows(String name) {
    return allNames.contains(name.toLowerCase(Locale.ROOT));
  }

  /** Returns the DuckDB library version, e.g. {@code v1.4.1}. */
  String duckdbVersion() {
    return duckdbVersion;
  }

  /** Returns how long reading the library took, in nanoseconds. */
  long buildNanos() {
    return buildNanos;
  }

  /**
   * Returns how DuckDB binds {@code select} (a SELECT over constants only, prepared and never
   * run): its result column names and types, or DuckDB's error.
   */
  Binding bind(String select) {
    Binding known = bindings.get(select);
    if (known != null) {
      return known;
    }
    Binding bound = prepare(select);
    if (bindings.size() >= BINDINGS_MAX) {
      bindings.clear();
    }
    bindings.put(select, bound);
    return bound;
  }

  private Binding prepare(String select) {
    synchronized (binder) { // one DuckDB connection: statements are prepared one at a time
      try (PreparedStatement p = binder.prepareStatement(select)) {
        ResultSetMetaData meta = p.getMetaData();
        List<String> names = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          names.add(meta.getColumnLabel(i));
          types.add(meta.getColumnTypeName(i));
        }
        return new Binding(List.copyOf(names), List.copyOf(types), null);
      } catch (SQLException e) {
        return new Binding(List.of(), List.of(), firstLine(e.getMessage()));
      }
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "rejected";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
