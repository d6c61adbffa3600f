package dev.cairn.calcite.sql;

import static java.util.Objects.requireNonNull;

import dev.cairn.calcite.CairnCatalog;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexExecutor;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.SqlToRelConverter;

/**
 * Translates a user's SQL query into one DuckDB statement over versioned relations, plus what
 * the runtime must load for it. Calcite is only the front: it parses, validates against a
 * {@link CairnCatalog} snapshot, converts to a logical plan and writes SQL back; DuckDB runs all
 * of the data part. No cost-based (Volcano) planning is done: it took up to 46 s on TPC-H.
 *
 * <p>Pipeline: Babel parser, {@link DuckDbOperatorRewriter} (DuckDB's {@code //}, date
 * arithmetic and casts), validation with {@link DuckDbConformance} and
 * {@link DuckDbTypeSystem}, {@link SqlToRelConverter} with {@link DuckDbConvertletTable}
 * (sub-queries are left in place, not expanded, for DuckDB to decorrelate; then flatten,
 * decorrelate, trim unused fields; no constant is evaluated in Java), {@link PlanAnalysis} on
 * a copy of the plan (tables, columns, pruning predicates), and
 * {@link org.apache.calcite.rel.rel2sql.RelToSqlConverter} with {@link DuckDbDialect}, result
 * columns named by {@link OutputNames}. The contract is DuckDB's answer to the user's text:
 * what the translation cannot answer alike is refused as {@code UNSUPPORTED_SQL}.
 *
 * <p>Names follow PostgreSQL: unquoted identifiers are folded to lower case, double-quoted ones
 * are exact, and matching is then exact; so {@code SELECT L_ORDERKEY FROM TPCH.LINEITEM} reads
 * {@code tpch.lineitem}. A folded table or schema name that matches nothing exactly matches the
 * single name equal to it ignoring case. Column names with capitals must be double-quoted.
 * {@code orders$v3} reads version 3 of {@code orders}. The system schema {@code cairn} is always
 * present (see {@link dev.cairn.calcite.SystemTables}).
 *
 * <p>Accepted: queries (SELECT, WITH, VALUES, set operations, ORDER BY, LIMIT/OFFSET/FETCH),
 * with Babel's grammar (PostgreSQL/DuckDB habits such as {@code value} as an alias,
 * {@code x::type}, {@code LIMIT}) and DuckDB's strict GROUP BY ({@link DuckDbConformance}), DuckDB's spellings ({@link DuckDbSyntax}) and DuckDB's
 * function library ({@link CairnOperatorTable}); {@code EXPLAIN} before a query describes it
 * instead ({@link Explanation}); {@code SHOW}/{@code DESCRIBE} become queries over the
 * snapshot ({@link CatalogStatements}). Anything that would write or change state is refused
 * as read-only. Dynamic parameters {@code ?} are kept; their types
 * are inferred from context. If the written SQL would present them in another order than the
 * user's text, they are written as DuckDB's numbered {@code $1, $2, ...} instead.
 *
 * <p>Thread-safe and stateless: one instance may translate concurrently.
 */
public final class QueryTranslator {
  /** Longest SQL text accepted, in chars; longer texts fail with SQLSTATE 54000. */
  public static final int SQL_CHARS_MAX = 1_000_000;

  /** Longest identifier, in chars: a Cairn column name may be 255 UTF-8 bytes. */
  public static final int IDENTIFIER_CHARS_MAX = 255;

  /** Statements that write or change state; refused before parsing with a read-only error. */
  private static final Set<String> WRITE_KEYWORDS = Set.of("insert", "update", "delete",
      "merge", "upsert", "create", "drop", "alter", "truncate", "grant", "revoke", "copy",
      "attach", "detach", "set", "reset", "call", "install", "load", "pragma", "export",
      "import", "vacuum", "checkpoint", "begin", "commit", "rollback", "use", "replace");

  /** The first word after leading blanks, comments and parentheses. */
  private static final Pattern FIRST_WORD = Pattern.compile(
      "\\A(?:\\s|--[^\\n]*(?:\\n|\\z)|/\\*.*?\\*/|\\()*([A-Za-z_]+)", Pattern.DOTALL);

  /** {@code EXPLAIN} or {@code EXPLAIN PLAN FOR} before a query, after blanks and comments. */
  private static final Pattern EXPLAIN = Pattern.compile(
      "\\A(?:\\s|--[^\\n]*(?:\\n|\\z)|/\\*.*?\\*/)*explain\\s+(?:plan\\s+for\\s+)?",
      Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

  /** Cairn's types, derived as DuckDB derives them. */
  static final RelDataTypeSystem TYPE_SYSTEM = DuckDbTypeSystem.INSTANCE;

  private static final SqlParser.Config PARSER = SqlParser.config()
      .withParserFactory(SqlBabelParserImpl.FACTORY)
      .withConformance(SqlConformanceEnum.BABEL)
      .withQuoting(Quoting.DOUBLE_QUOTE)
      .withUnquotedCasing(Casing.TO_LOWER)
      .withQuotedCasing(Casing.UNCHANGED)
      .withCaseSensitive(true)
      .withIdentifierMaxLength(IDENTIFIER_CHARS_MAX);

  private static final SqlOperatorTable OPERATORS = SqlOperatorTables.chain(
      DuckDbOperators.TABLE, CairnOperatorTable.get());

  private static final SqlValidator.Config VALIDATOR = SqlValidator.Config.DEFAULT
      .withConformance(DuckDbConformance.INSTANCE)
      .withDefaultNullCollation(NullCollation.HIGH)
      .withTypeCoercionFactory(CairnTypeCoercion::new)
      .withIdentifierExpansion(true);

  private static final SqlToRelConverter.Config CONVERTER = SqlToRelConverter.config()
      .withExpand(false)
      .withDecorrelationEnabled(true)
      .withTrimUnusedFields(true);

  /** Translates {@code sql} against {@code catalog}, or throws {@link SqlTranslationException}. */
  public TranslatedQuery translate(String sql, CairnCatalog catalog) {
    return translate(sql, catalog, null);
  }

  /**
   * Translates {@code sql} against {@code catalog}, resolving unqualified table names in
   * {@code defaultSchema} (exact name; null for none), or throws
   * {@link SqlTranslationException}.
   */
  public TranslatedQuery translate(String sql, CairnCatalog catalog, String defaultSchema) {
    return translate(sql, catalog, defaultSchema, RelationNames.CANONICAL);
  }

  /**
   * Translates {@code sql} as {@link #translate(String, CairnCatalog, String)} does, naming
   * every table in the DuckDB SQL (and in {@link TableUse#duckdbRelation()}) by the relation
   * {@code relationNames} give it; EXPLAIN still shows the canonical names.
   */
  public TranslatedQuery translate(String sql, CairnCatalog catalog, String defaultSchema,
      RelationNames relationNames) {
    requireNonNull(sql, "sql");
    requireNonNull(catalog, "catalog");
    requireNonNull(relationNames, "relationNames");
    if (sql.length() > SQL_CHARS_MAX) {
      throw new SqlTranslationException(ErrorCode.BAD_FORMAT, SqlTranslationException.TOO_COMPLEX,
          "SQL text is " + sql.length() + " chars; at most " + SQL_CHARS_MAX + " are accepted",
          null);
    }
    Matcher explain = EXPLAIN.matcher(sql);
    if (explain.lookingAt()) {
      return Explanation.of(translate(sql.substring(explain.end()), catalog, defaultSchema),
          catalog);
    }
    String catalogQuery = CatalogStatements.query(sql, catalog, defaultSchema, this);
    if (catalogQuery != null) {
      return translate(catalogQuery, catalog, defaultSchema, relationNames);
    }
    refuseWrites(sql);
    DuckDbOperatorRewriter.Masked masked = DuckDbOperatorRewriter.maskIntegerDivisions(
        DuckDbSyntax.rewrite(VersionedNames.quote(sql)));
    SqlNode parsed = DuckDbOperatorRewriter.rewrite(
        DuckDbClauses.rewrite(parse(masked.sql()), OPERATORS), masked.integerDivisions());
    OutputNames outputNames = OutputNames.of(parsed);
    if (!parsed.getKind().belongsTo(SqlKind.QUERY)) {
      throw readOnly(parsed.getKind().sql);
    }
    catalog.prefetch(TableNamesInSql.of(parsed, defaultSchema));
    JavaTypeFactoryImpl types = new JavaTypeFactoryImpl(TYPE_SYSTEM);
    Optional<SharedWith> shared = SharedWith.of(parsed);
    if (shared.isPresent()) {
      return translateShared(shared.get(), outputNames, catalog, defaultSchema, relationNames,
          types);
    }
    CalciteCatalogReader reader = catalogReader(catalog, defaultSchema, relationNames, types,
        Map.of());
    SqlValidator validator = SqlValidatorUtil.newValidator(OPERATORS, reader, types, VALIDATOR);
    SqlNode validated = validate(validator, parsed);
    try {
      RelRoot root = toPlan(validated, validator, reader, types);
      RelNode plan = root.project();
      List<TableUse> tables = PlanAnalysis.analyse(plan);
      List<String> names = outputNames.resolve(root.validatedRowType.getFieldNames());
      String duckdbSql = DuckDbSql.write(plan, validator.getParameterRowType(validated)
          .getFieldCount(), names);
      return new TranslatedQuery(duckdbSql, tables, columns(root.validatedRowType, names),
          columns(validator.getParameterRowType(validated), null), RowLimit.of(plan),
          ScanOrder.arrivingScan(plan));
    } catch (SqlTranslationException e) {
      throw e;
    } catch (RuntimeException | AssertionError e) {
      catalogFailure(e).ifPresent(failure -> {
        throw failure;
      });
      throw new SqlTranslationException(ErrorCode.INTERNAL, SqlTranslationException.SEMANTIC_ERROR,
          "cannot translate this query for DuckDB: " + e, e);
    }
  }

  /**
   * Translates a query whose WITH items DuckDB evaluates: each item on its own (reading the
   * items before it as tables), then the body reading them all, written as one DuckDB WITH;
   * an item read more than once is {@code MATERIALIZED}, so DuckDB computes it once.
   */
  private static TranslatedQuery translateShared(SharedWith shared, OutputNames outputNames,
      CairnCatalog catalog, String defaultSchema, RelationNames relationNames,
      JavaTypeFactoryImpl types) {
    Map<String, WithItemTable> items = new LinkedHashMap<>();
    StringBuilder with = new StringBuilder("WITH ");
    List<TableUse> tables = new ArrayList<>();
    for (SharedWith.Item item : shared.items()) {
      Planned part = plan(item.query(), catalog, defaultSchema, relationNames, types, items);
      List<String> names = item.columnNames() != null ? item.columnNames()
          : OutputNames.of(item.query()).resolve(part.root.validatedRowType.getFieldNames());
      if (names.size() != part.root.validatedRowType.getFieldCount()) {
        throw new SqlTranslationException(ErrorCode.BAD_FORMAT,
            SqlTranslationException.SEMANTIC_ERROR, "WITH item " + item.name() + " names "
            + names.size() + " columns but its query has "
            + part.root.validatedRowType.getFieldCount(), null);
      }
      String sql = write(part, names);
      items.put(item.name(), new WithItemTable(item.duckdbName(),
          types.createStructType(part.root.validatedRowType.getFieldList().stream()
              .map(f -> f.getType()).toList(), names)));
      with.append(items.size() == 1 ? "" : ", ").append(quote(item.duckdbName()))
          .append(item.references() > 1 ? " AS MATERIALIZED (" : " AS (").append(sql)
          .append(")\n");
      tables.addAll(part.tables);
    }
    Planned body = plan(shared.body(), catalog, defaultSchema, relationNames, types, items);
    tables.addAll(body.tables);
    List<String> names = outputNames.resolve(body.root.validatedRowType.getFieldNames());
    return new TranslatedQuery(with + write(body, names), TableUses.merge(tables),
        columns(body.root.validatedRowType, names), List.of(), OptionalLong.empty(), false);
  }

  /** A validated query's plan and the tables it reads. */
  private record Planned(RelRoot root, RelNode plan, List<TableUse> tables) { }

  private static Planned plan(SqlNode query, CairnCatalog catalog, String defaultSchema,
      RelationNames relationNames, JavaTypeFactoryImpl types, Map<String, WithItemTable> items) {
    CalciteCatalogReader reader = catalogReader(catalog, defaultSchema, relationNames, types,
        items);
    SqlValidator validator = SqlValidatorUtil.newValidator(OPERATORS, reader, types, VALIDATOR);
    SqlNode validated = validate(validator, query);
    try {
      RelRoot root = toPlan(validated, validator, reader, types);
      RelNode plan = root.project();
      return new Planned(root, plan, PlanAnalysis.analyse(plan));
    } catch (SqlTranslationException e) {
      throw e;
    } catch (RuntimeException | AssertionError e) {
      catalogFailure(e).ifPresent(failure -> {
        throw failure;
      });
      throw new SqlTranslationException(ErrorCode.INTERNAL, SqlTranslationException.SEMANTIC_ERROR,
          "cannot translate this query for DuckDB: " + e, e);
    }
  }

  private static String write(Planned planned, List<String> names) {
    try {
      return DuckDbSql.write(planned.plan, 0, names);
    } catch (SqlTranslationException e) {
      throw e;
    } catch (RuntimeException | AssertionError e) {
      throw new SqlTranslationException(ErrorCode.INTERNAL, SqlTranslationException.SEMANTIC_ERROR,
          "cannot translate this query for DuckDB: " + e, e);
    }
  }

  private static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  private static void refuseWrites(String sql) {
    Matcher m = FIRST_WORD.matcher(sql);
    if (m.lookingAt()) {
      String word = m.group(1).toLowerCase(Locale.ROOT);
      if (WRITE_KEYWORDS.contains(word)) {
        throw readOnly(word.toUpperCase(Locale.ROOT));
      }
    }
  }

  private static SqlTranslationException readOnly(String statement) {
    return new SqlTranslationException(ErrorCode.BAD_FORMAT, SqlTranslationException.READ_ONLY,
        "read-only: Cairn SQL runs queries only (SELECT, WITH, VALUES, EXPLAIN, SHOW TABLES,"
            + " SHOW SCHEMAS, DESCRIBE); " + statement
            + " is refused. Tables change only by publishing new versions (cairn publish)",
        null);
  }

  private static SqlNode parse(String sql) {
    try {
      return SqlParser.create(sql, PARSER).parseStmt();
    } catch (SqlParseException e) {
      String message = e.getMessage();
      int expecting = message.indexOf("\nWas expecting");
      if (expecting > 0) {
        message = message.substring(0, expecting);
      }
      throw new SqlTranslationException(ErrorCode.BAD_FORMAT, SqlTranslationException.SYNTAX_ERROR,
          "SQL syntax error: " + message.trim(), e);
    }
  }

  private static CalciteCatalogReader catalogReader(CairnCatalog catalog, String defaultSchema,
      RelationNames names, JavaTypeFactoryImpl types, Map<String, WithItemTable> withItems) {
    CalciteSchema root = CalciteSchema.createRootSchema(false, false, "",
        CatalogSchema.root(catalog, names));
    if (!withItems.isEmpty()) {
      CalciteSchema items = root.add(SharedWith.SCHEMA, new AbstractSchema());
      withItems.forEach(items::add);
    }
    Properties properties = new Properties();
    properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "true");
    List<String> path = defaultSchema == null ? List.of() : List.of(defaultSchema);
    return new CalciteCatalogReader(root, path, types,
        new CalciteConnectionConfigImpl(properties));
  }

  private static SqlNode validate(SqlValidator validator, SqlNode parsed) {
    try {
      return validator.validate(parsed);
    } catch (RuntimeException e) {
      throw catalogFailure(e).<RuntimeException>map(f -> f).orElseGet(() -> validationError(e));
    }
  }

  /**
   * Returns the failure of the catalog itself (it reads table heads as names resolve: a
   * metadata service that does not answer is an IO_ERROR, not an SQL error) among the causes
   * of {@code e}, if there is one.
   */
  private static Optional<CairnException> catalogFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CairnException c && !(t instanceof SqlTranslationException)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** Returns the SQL error a failed validation reports. */
  private static RuntimeException validationError(RuntimeException failure) {
    if (failure instanceof SqlTranslationException e) {
      return e;
    }
    if (failure instanceof CalciteContextException e) {
      String message = unknownColumnAsSuch(e.getMessage());
      if (message.endsWith(UNTYPED_PARAMETER)) {
        throw new SqlTranslationException(ErrorCode.BAD_FORMAT,
            SqlTranslationException.INDETERMINATE_TYPE, "SQL error: " + message.substring(0,
                message.length() - UNTYPED_PARAMETER.length()) + "the type of this ? cannot be"
                + " inferred from what surrounds it; write CAST(? AS type), e.g. CAST(? AS"
                + " INTEGER) or CAST(? AS VARCHAR)", e);
      }
      boolean missing = message.matches("(?s).*(Object|Table) '.*' not found.*");
      String state = missing ? SqlTranslationException.UNDEFINED_TABLE
          : SqlTranslationException.SEMANTIC_ERROR;
      return new SqlTranslationException(missing ? ErrorCode.NOT_FOUND : ErrorCode.BAD_FORMAT,
          state, "SQL error: " + message, e);
    }
    return new SqlTranslationException(ErrorCode.BAD_FORMAT,
        SqlTranslationException.SEMANTIC_ERROR, "SQL error: " + failure.getMessage(), failure);
  }

  /** Calcite's message for a {@code ?} it cannot type (e.g. {@code SELECT ?}). */
  private static final String UNTYPED_PARAMETER = "Illegal use of dynamic parameter";

  /**
   * Babel's conformance lets a select item name an earlier item's alias (as DuckDB does), so
   * an identifier that matches no column is tried as an alias of itself and Calcite reports a
   * cycle. Says what the user got wrong instead: the column does not exist.
   */
  static String unknownColumnAsSuch(String message) {
    java.util.regex.Matcher cycle = SELF_CYCLE.matcher(message);
    if (!cycle.find()) {
      return message;
    }
    return message.substring(0, cycle.start()) + "Column '" + cycle.group(1)
        + "' not found in any table";
  }

  private static final java.util.regex.Pattern SELF_CYCLE = java.util.regex.Pattern.compile(
      "The definition of column '([^']+)' depends on itself through the following columns: "
          + "'\\1'$");

  /**
   * Evaluates no constant expression: DuckDB computes them. Without an executor, Calcite's
   * simplifier evaluates casts of literals in Java ({@code RexSimplify.simplifyCast}, Calcite
   * 1.42), which truncates where DuckDB rounds: {@code CAST(2.5 AS INTEGER)} became 2 (DuckDB
   * and PostgreSQL: 3) and {@code CAST(1.25 AS DECIMAL(3,1))} became 1.2 (DuckDB: 1.3).
   */
  private static final RexExecutor LEAVE_CONSTANTS_TO_DUCKDB =
      (rexBuilder, constants, reduced) -> reduced.addAll(constants);

  private static RelRoot toPlan(SqlNode validated, SqlValidator validator,
      CalciteCatalogReader reader, JavaTypeFactoryImpl types) {
    HepPlanner planner = new HepPlanner(HepProgram.builder().build());
    planner.setExecutor(LEAVE_CONSTANTS_TO_DUCKDB);
    RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(types));
    SqlToRelConverter converter = new SqlToRelConverter(null, validator, reader, cluster,
        DuckDbConvertletTable.INSTANCE, CONVERTER);
    RelRoot root = converter.convertQuery(validated, false, true);
    root = root.withRel(converter.flattenTypes(root.rel, true));
    root = root.withRel(converter.decorrelate(validated, root.rel));
    return root.withRel(converter.trimUnusedFields(true, root.rel));
  }

  /** Describes {@code row}'s fields under {@code names}, or as {@code ?1, ?2, ...} if null. */
  private static List<SqlColumn> columns(RelDataType row, List<String> names) {
    List<SqlColumn> out = new ArrayList<>();
    for (RelDataTypeField f : row.getFieldList()) {
      RelDataType t = f.getType();
      String name = names == null ? "?" + (f.getIndex() + 1) : names.get(f.getIndex());
      out.add(new SqlColumn(name, t.getSqlTypeName().getJdbcOrdinal(), typeName(t),
          t.getPrecision(), t.getScale(), t.isNullable()));
    }
    return out;
  }

  private static String typeName(RelDataType t) {
    SqlTypeName name = t.getSqlTypeName();
    if (name == SqlTypeName.DECIMAL) {
      return "DECIMAL(" + t.getPrecision() + "," + t.getScale() + ")";
    }
    return name.getName();
  }
}
