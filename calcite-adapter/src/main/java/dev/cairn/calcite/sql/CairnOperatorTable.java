package dev.cairn.calcite.sql;

import dev.cairn.calcite.sql.DuckDbFunctionCatalog.Function;
import dev.cairn.calcite.sql.DuckDbFunctionCatalog.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.apache.calcite.sql.validate.SqlNameMatchers;

/**
 * The functions Cairn SQL knows, in this order:
 *
 * <ol>
 *   <li>Calcite's standard operators and functions (SQL's own syntax: CAST, EXTRACT,
 *       SUBSTRING, CASE, the standard aggregates and window functions), found in any case;
 *   <li>Cairn's own: {@code version()} and {@code TRY_CAST} ({@link CairnFunctions});
 *   <li>DuckDB's function library ({@link DuckDbFunctionCatalog}): every other name DuckDB
 *       defines, typed by DuckDB and written back unchanged, so it has DuckDB's semantics.
 * </ol>
 *
 * <p>Names in {@link #DUCKDB_WINS} skip step 1: Calcite defines them with other semantics than
 * DuckDB's (argument order, result type), and the query runs on DuckDB. Built once per JVM
 * and immutable; lookups are thread-safe.
 */
final class CairnOperatorTable implements SqlOperatorTable {
  /**
   * Names Calcite's standard table defines differently from DuckDB; DuckDB's definition is
   * used. {@code typeof}: Calcite's takes only a VARIANT, DuckDB's names any value's type.
   */
  static final Set<String> DUCKDB_WINS = Set.of("typeof");

  private static volatile CairnOperatorTable instance;

  /**
   * Calcite's standard table, plus Babel's {@code x::type}: the parser builds that call with
   * {@code SqlLibraryOperators.INFIX_CAST}, and the validator looks the operator up by name
   * again when it types the call, so it must be in the table.
   */
  private final SqlOperatorTable calcite = SqlOperatorTables.chain(
      SqlStdOperatorTable.instance(), SqlOperatorTables.of(SqlLibraryOperators.INFIX_CAST));
  private final Map<String, SqlOperator> routines;
  private final Map<String, SqlOperator> tableFunctions;
  private final List<SqlOperator> all;

  private CairnOperatorTable(DuckDbFunctionCatalog catalog) {
    Map<String, SqlOperator> scalar = new LinkedHashMap<>();
    Map<String, SqlOperator> table = new LinkedHashMap<>();
    CairnFunctions.ALL.forEach(op -> scalar.put(op.getName().toLowerCase(Locale.ROOT), op));
    for (Map<Kind, Function> kinds : catalog.functions().values()) {
      for (Function f : kinds.values()) {
        if (f.kind() == Kind.TABLE) {
          table.put(f.name(), DuckDbFunctions.operator(f));
        } else if (!scalar.containsKey(f.name())
            && !(f.kind() == Kind.SCALAR && kinds.containsKey(Kind.AGGREGATE))) {
          scalar.put(f.name(), DuckDbFunctions.operator(f));
        }
      }
    }
    this.routines = Collections.unmodifiableMap(scalar);
    this.tableFunctions = Collections.unmodifiableMap(table);
    List<SqlOperator> list = new ArrayList<>(calcite.getOperatorList());
    list.addAll(scalar.values());
    list.addAll(table.values());
    this.all = List.copyOf(list);
  }

  /** Returns the JVM's table, reading DuckDB's function library on first use. */
  static CairnOperatorTable get() {
    CairnOperatorTable t = instance;
    if (t == null) {
      synchronized (CairnOperatorTable.class) {
        t = instance;
        if (t == null) {
          t = new CairnOperatorTable(DuckDbFunctionCatalog.get());
          instance = t;
        }
      }
    }
    return t;
  }

  @Override
  public void lookupOperatorOverloads(SqlIdentifier name, SqlFunctionCategory category,
      SqlSyntax syntax, List<SqlOperator> found, SqlNameMatcher matcher) {
    boolean function = syntax == SqlSyntax.FUNCTION && name.isSimple();
    String lower = function ? name.getSimple().toLowerCase(Locale.ROOT) : null;
    if (function && DUCKDB_WINS.contains(lower)) {
      addDuckDb(lower, category, found);
      return;
    }
    calcite.lookupOperatorOverloads(name, category, syntax, found,
        function ? SqlNameMatchers.withCaseSensitive(false) : matcher);
    if (function && found.isEmpty()) {
      addDuckDb(lower, category, found);
    }
  }

  private void addDuckDb(String lower, SqlFunctionCategory category, List<SqlOperator> found) {
    SqlOperator op = category == SqlFunctionCategory.USER_DEFINED_TABLE_FUNCTION
        ? tableFunctions.get(lower) : routines.get(lower);
    if (op != null) {
      found.add(op);
    }
  }

  /** Returns the operator of DuckDB's scalar or aggregate function {@code name} (lower case). */
  SqlOperator duckdbFunction(String name) {
    SqlOperator op = routines.get(name);
    if (op == null) {
      throw new IllegalStateException("DuckDB has no function " + name);
    }
    return op;
  }

  @Override
  public List<SqlOperator> getOperatorList() {
    return all;
  }
}
