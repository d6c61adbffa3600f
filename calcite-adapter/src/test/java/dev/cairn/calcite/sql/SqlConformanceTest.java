package dev.cairn.calcite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract for SQL breadth: each case is one query that DuckDB answers directly over plain
 * tables and Cairn answers through its translation over the versioned relations (views of the
 * same tables); the two answers must be equal, row by row, with the same kind of number in every
 * column (an integer, an exact decimal or a double), strings exact (no blank padding). NULLs are
 * ordered as Cairn documents (PostgreSQL's order) in both. A case whose query orders its rows
 * completely is compared in order, others as sorted rows.
 */
class SqlConformanceTest {
  @RegisterExtension
  static final SharedConformanceDatabase DB = new SharedConformanceDatabase();

  /** One query; {@code ordered} when its ORDER BY decides the order of every row. */
  record Case(String feature, String sql, boolean ordered) {
    @Override
    public String toString() {
      return feature + ": " + sql;
    }
  }

  private static Case ordered(String feature, String sql) {
    return new Case(feature, sql, true);
  }

  private static Case unordered(String feature, String sql) {
    return new Case(feature, sql, false);
  }

  static Stream<Case> cases() {
    return Stream.of(groupingCases(), windowCases(), filterCases(), stringCases(),
        setOperationCases(), subqueryCases(), dateCases(), arithmeticCases(), namingCases())
        .flatMap(List::stream);
  }

  private static List<Case> groupingCases() {
    String f = "grouping sets";
    return List.of(
        unordered(f, "select category, sum(qty) from cf.sales group by rollup(category)"),
        unordered(f, "select category, region, sum(qty), grouping(category) from cf.sales"
            + " group by rollup(category, region)"),
        unordered(f, "select category, region, sum(qty), count(*) from cf.sales"
            + " group by cube(category, region)"),
        unordered(f, "select category, region, sum(qty) from cf.sales"
            + " group by grouping sets ((category), (region), ())"),
        unordered(f, "select category, region, sum(qty), grouping(category, region)"
            + " from cf.sales group by cube(category, region)"),
        unordered(f, "select category, region, grouping_id(category, region), sum(qty)"
            + " from cf.sales group by grouping sets ((category, region), (category), ())"),
        unordered(f, "select extract(year from sold), upper(category), sum(amount)"
            + " from cf.sales group by rollup(extract(year from sold), upper(category))"),
        unordered(f, "select category, sum(qty) from cf.sales group by rollup(category)"
            + " having sum(qty) > 5"),
        unordered(f, "select category, region, sum(qty) from cf.sales"
            + " group by rollup(category, region) having grouping(region) = 1"),
        ordered(f, "select category, region, sum(qty) as s from cf.sales"
            + " group by rollup(category, region)"
            + " order by grouping(category), grouping(region), category, region, s"),
        ordered(f, "select category, region, sum(amount) as total,"
            + " grouping(category) + grouping(region) as lochierarchy,"
            + " rank() over (partition by grouping(category) + grouping(region),"
            + " case when grouping(region) = 0 then category end"
            + " order by sum(amount) desc) as rank_within_parent"
            + " from cf.sales group by rollup(category, region)"
            + " order by lochierarchy desc, case when lochierarchy = 0 then category end,"
            + " rank_within_parent, category, region"),
        unordered(f, "select category, region, sum(qty) from cf.sales"
            + " group by category, rollup(region)"),
        unordered(f, "select coalesce(category, 'all'), sum(qty) from cf.sales"
            + " group by rollup(category)"),
        unordered(f, "select category, count(*) from cf.sales"
            + " group by grouping sets ((category), (category))"),
        unordered(f, "select category, count(*) from cf.sales group by category, rollup(category)"),
        unordered(f, "select category, region, count(*) from cf.sales"
            + " group by cube(category, region), category"),
        unordered(f, "select count(*) from cf.sales group by ()"),
        unordered(f, "select category, count(distinct region), sum(distinct qty) from cf.sales"
            + " group by rollup(category)"),
        unordered(f, "select category, region, count(distinct code) filter (where qty > 1)"
            + " from cf.sales group by cube(category, region)"),
        unordered(f, "select category, sum(qty), row_number() over (order by grouping(category),"
            + " category) from cf.sales group by rollup(category)"),
        unordered(f, "select category, region, sum(qty) from cf.sales"
            + " group by rollup((category, region))"),
        unordered(f, "select category, region, sum(qty) from cf.sales"
            + " group by grouping sets (rollup(category), cube(region))"));
  }

  private static List<Case> windowCases() {
    String f = "windows";
    return List.of(
        unordered(f, "select category, sum(qty), avg(sum(qty)) over (partition by category)"
            + " from cf.sales group by category"),
        unordered(f, "select category, region, sum(amount) * 100"
            + " / sum(sum(amount)) over (partition by category) from cf.sales"
            + " group by category, region"),
        unordered(f, "select category, rank() over (order by sum(qty) desc),"
            + " sum(sum(qty)) over (order by category rows between unbounded preceding"
            + " and current row) from cf.sales group by category"),
        unordered(f, "select id, lag(qty) over (order by id), lead(amount, 2) over (order by id),"
            + " row_number() over (partition by category order by price desc, id) from cf.sales"),
        unordered(f, "select id, stddev_samp(qty) over (), var_pop(big) over (),"
            + " avg(price) over (order by id) from cf.sales"),
        unordered(f, "select id, covar_pop(qty, price) over (), covar_samp(big, qty) over"
            + " (partition by category), var_samp(amount) over (order by id) from cf.sales"),
        unordered(f, "select id, avg(qty) over (partition by category order by id"
            + " rows between 1 preceding and 1 following) from cf.sales"),
        unordered(f, "select category, avg(qty), avg(avg(qty)) over () from cf.sales"
            + " group by category"),
        unordered(f, "select id, ntile(3) over (order by id), percent_rank() over (order by qty),"
            + " cume_dist() over (order by qty) from cf.sales"),
        unordered(f, "select id, first_value(qty) over (partition by category order by id),"
            + " last_value(qty) over (partition by category order by id"
            + " rows between unbounded preceding and unbounded following) from cf.sales"),
        unordered(f, "select id, sum(qty) over (order by sold),"
            + " sum(qty) over (order by sold rows unbounded preceding) from cf.sales"));
  }

  private static List<Case> filterCases() {
    String f = "filter";
    return List.of(
        unordered(f, "select category, count(*) filter (where qty > 2),"
            + " sum(amount) filter (where region = 'north') from cf.sales group by category"),
        unordered(f, "select count(distinct region) filter (where qty > 1),"
            + " avg(price) filter (where price is not null) from cf.sales"));
  }

  private static List<Case> stringCases() {
    String f = "char and varchar";
    return List.of(
        unordered(f, "select 'a' as x union all select 'store'"),
        unordered(f, "select 'a' union select 'bb' union select 'a '"),
        unordered(f, "select id, case when id > 3 then 'a' else 'store' end from cf.sales"),
        unordered(f, "select id, case when code = 'ab' then 'yes' when code = 'x' then 'maybe'"
            + " else 'no' end from cf.sales"),
        unordered(f, "select id, coalesce(region, 'n/a') from cf.sales"),
        unordered(f, "select * from (values ('a'), ('bbb'), (null)) as t(x)"),
        unordered(f, "select id from cf.sales where code = 'ab'"),
        unordered(f, "select id from cf.sales where code = 'ab '"),
        unordered(f, "select id from cf.sales where code in ('ab', 'x')"),
        unordered(f, "select id from cf.sales where code < 'ab '"),
        unordered(f, "select 'ab' = 'ab ', 'ab' < 'ab ', 'a' || 'b ' || 'c'"),
        unordered(f, "select cast('ab' as char(5)) || 'x', cast('ab' as varchar(1)),"
            + " cast(code as char(1)) from cf.sales"),
        unordered(f, "select max(code), min(code) from cf.sales"),
        unordered(f, "select code, count(*) from cf.sales group by code"));
  }

  private static List<Case> setOperationCases() {
    String f = "set operations";
    return List.of(
        unordered(f, "select region from cf.sales union select category from cf.returns"),
        unordered(f, "select region from cf.sales union all select reason from cf.returns"),
        unordered(f, "select region from cf.sales intersect select reason from cf.returns"),
        unordered(f, "select category from cf.sales except select category from cf.returns"),
        unordered(f, "select category, qty from cf.returns intersect all"
            + " select category, qty from cf.returns"),
        unordered(f, "select category from cf.returns except all"
            + " select category from cf.sales where id < 3"),
        unordered(f, "select category, qty from cf.returns union"
            + " select category, qty from cf.sales"),
        unordered(f, "select count(distinct region), count(region), count(*) from cf.sales"),
        ordered(f, "select sum(qty), sum(qty) from cf.sales union all select 1, 2 order by 1"));
  }

  private static List<Case> subqueryCases() {
    String f = "subqueries";
    return List.of(
        unordered(f, "select id from cf.sales where id not in (select id from cf.returns)"),
        unordered(f, "select id from cf.sales where qty not in (select qty from cf.returns)"),
        unordered(f, "select id from cf.sales where qty > all"
            + " (select qty from cf.returns where qty is not null)"),
        unordered(f, "select id from cf.sales where qty > all (select qty from cf.returns)"),
        unordered(f, "select id from cf.sales where qty = any (select qty from cf.returns)"),
        unordered(f, "select id from cf.sales where qty < some"
            + " (select qty from cf.returns where category = 'books')"),
        unordered(f, "select id, category from cf.sales"
            + " qualify row_number() over (partition by category order by id) = 1"),
        unordered(f, "select s.id, r.qty from cf.sales s,"
            + " lateral (select qty from cf.returns r where r.id = s.id) r"),
        unordered(f, "select s.id, r.n from cf.sales s left join lateral"
            + " (select count(*) as n from cf.returns r where r.category = s.category) r on true"),
        unordered(f, "select id, (select max(qty) from cf.returns r where r.id = s.id)"
            + " from cf.sales s"));
  }

  private static List<Case> dateCases() {
    String f = "dates";
    return List.of(
        unordered(f, "select id, sold + 5, 5 + sold, sold - 5, sold - date '2024-01-01'"
            + " from cf.sales"),
        unordered(f, "select id from cf.sales where sold + 30 > date '2024-02-01'"
            + " and sold - 1 < date '2024-03-01'"),
        unordered(f, "select id, sold + interval '1' day, sold - interval '1' month,"
            + " seen + interval '2' hour, seen - interval '90' minute from cf.sales"),
        unordered(f, "select date '2024-01-31' + interval '1' month,"
            + " date '2024-02-29' + interval '1' year"),
        unordered(f, "select id, sold - cast(seen as date), seen - timestamp '2024-01-01 00:00:00',"
            + " sold - seen from cf.sales"),
        unordered(f, "select sold + qty, max(sold) - min(sold) from cf.sales group by sold + qty"),
        unordered(f, "select id, seen + interval '1.5' second, seen - interval '2.250' second,"
            + " seen + interval '0.001' second from cf.sales"));
  }

  private static List<Case> arithmeticCases() {
    String f = "arithmetic";
    return List.of(
        unordered(f, "select 10 // 4, 99"),
        unordered(f, "select id, qty // 2, -7 // 2, price // 2, amount // 2, big // qty,"
            + " 10 / 4 // 1, 10 // 4 / 2 from cf.sales"),
        unordered(f, "select '//' as s, id // 2 /* // */, 3 -- //\n, 4 // 3 from cf.sales"),
        unordered(f, "select\r\n\tqty\t//\t2,\r\n 7 // 2 // 2, (id + 5) // (qty),\n id / (qty // 2)"
            + " from cf.sales where qty > 1"),
        unordered(f, "select e'a\\'//b', 'it''s // here', e'x\\\\y', 'é//x', id // 3"
            + " from cf.sales"),
        // every pre-parse rewrite ends an E'...' string at the same quote as the // masking
        unordered(f, "select e'it\\'s sales$v1 // range', id from cf.sales"),
        unordered(f, "select id, 10 / 4, 7 / 2, qty / 2, amount / 3, amount / qty, qty / 0.5"
            + " from cf.sales"),
        unordered(f, "select id, case when qty > 3 then qty / 2 else 1.5 end from cf.sales"),
        unordered(f, "select avg(qty), stddev_samp(qty) * 1.000, var_pop(amount),"
            + " sum(qty) / count(*), covar_pop(qty, price), avg(qty) * 2 from cf.sales"),
        unordered(f, "select avg(amount), stddev_pop(amount), var_samp(qty), stddev(big),"
            + " variance(price), avg(big) from cf.sales"),
        unordered(f, "select category, avg(qty) from cf.sales group by category"
            + " union all select 'x', 1"),
        unordered(f, "select sum(qty) + 0.5, sum(big), sum(amount), sum(amount) * 1.5"
            + " from cf.sales"),
        unordered(f, "select id, amount * amount, amount + 1, amount * 1.000, qty * 1.000,"
            + " amount - 100000000000.5, qty % 2, amount % 2 from cf.sales"),
        unordered(f, "select id, big * 2, qty * 1000000, big + qty from cf.sales"
            + " where big < 3000000000"),
        unordered(f, "select cast(2.5 as integer), cast(-2.5 as integer), cast(3.5 as bigint),"
            + " cast(1.25 as decimal(3,1)), cast(1.35 as decimal(3,1)), cast('12' as integer),"
            + " cast(2.5 as double)"),
        unordered(f, "select id, cast(amount as integer), cast(price as integer),"
            + " cast(price as decimal(5,1)), round(amount, 1) from cf.sales"),
        unordered(f, "select id, cast(price as decimal), cast(price as numeric), price::decimal,"
            + " cast(amount as decimal(10)), cast(2.25 as numeric), 7::decimal / 2 from cf.sales"),
        unordered(f, "select id, cast(price as float), cast(price as real),"
            + " cast(price as double precision), cast(qty as float) / 3 from cf.sales"),
        unordered(f, "select sum(distinct qty), count(distinct qty), avg(distinct qty)"
            + " from cf.sales"),
        unordered(f, "select id, qty in (1, 2.5), qty between 1 and 3.5, price = 2.2"
            + " from cf.sales"));
  }

  private static List<Case> namingCases() {
    String f = "names";
    return List.of(
        ordered(f, "select id as qty, qty as id from cf.sales order by qty"),
        ordered(f, "select id as qty, qty as id from cf.sales order by qty desc, id"),
        ordered(f, "select -id as id from cf.sales order by id"),
        ordered(f, "select id as qty from cf.sales order by sales.qty, id"),
        ordered(f, "select id as qty from cf.sales s order by s.qty desc, 1"),
        ordered(f, "select price as qty from cf.sales order by qty desc nulls last, id"),
        unordered(f, "select upper(category) as category, count(*) from cf.sales"
            + " group by category"),
        unordered(f, "select category as c, count(*) from cf.sales group by c"),
        unordered(f, "select category, count(*) as n from cf.sales group by 1 having n > 1"),
        ordered(f, "select * from (select id from cf.sales order by price desc limit 3) t"
            + " order by id"),
        ordered(f, "select id from cf.sales order by id offset 5"),
        ordered(f, "select distinct category from cf.sales order by category desc"),
        ordered(f, "select * from cf.returns natural join cf.sales order by 1, 2"),
        ordered(f, "select id, sum(qty) over w, rank() over w from cf.sales"
            + " window w as (partition by category order by id) order by id"),
        ordered(f, "with t as (select category, sum(qty) s from cf.sales group by category)"
            + " select * from t where s > 5 order by 1"),
        ordered(f, "select category, count(*) from cf.sales group by rollup(category)"
            + " order by category nulls first, 2"));
  }

  /** Queries Cairn cannot answer as DuckDB does: refused with a named error, never answered. */
  static Stream<String> refused() {
    return Stream.of(
        "select (seen - timestamp '2024-01-01 00:00:00') day from cf.sales",
        "select (sold - date '2024-01-01') month from cf.sales",
        "select seen - 1 from cf.sales",
        "select seen + 1 from cf.sales",
        "select sold + 1.5 from cf.sales",
        "select sold + big from cf.sales",
        "select seen + interval '0.000001' second from cf.sales",
        "with recursive r(n) as (select 1 union all select n + 1 from r where n < 5)"
            + " select sum(n) from r",
        "select category, region, sum(qty) from cf.sales group by category");
  }

  @ParameterizedTest
  @MethodSource("refused")
  void refusedWithANamedError(String sql) {
    SqlTranslationException e = assertThrows(SqlTranslationException.class,
        () -> new QueryTranslator().translate(sql, DB.get().catalog()));
    assertTrue(e.sqlState().equals(SqlTranslationException.FEATURE_NOT_SUPPORTED)
        || e.sqlState().equals(SqlTranslationException.SEMANTIC_ERROR), e.sqlState());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void cairnAnswersAsDuckDb(Case c) throws Exception {
    ConformanceDatabase.Answer expected = DB.get().direct(c.sql());
    ConformanceDatabase.Answer actual = DB.get().translated(c.sql());
    List<List<ConformanceDatabase.Value>> want = c.ordered() ? expected.rows()
        : expected.sortedRows();
    List<List<ConformanceDatabase.Value>> got = c.ordered() ? actual.rows()
        : actual.sortedRows();
    assertEquals(want.size(), got.size(), "row count; DuckDB: " + want + "; Cairn: " + got);
    for (int r = 0; r < want.size(); r++) {
      List<ConformanceDatabase.Value> w = want.get(r);
      List<ConformanceDatabase.Value> g = got.get(r);
      assertEquals(w.size(), g.size(), "columns");
      for (int i = 0; i < w.size(); i++) {
        assertTrue(w.get(i).sameAs(g.get(i)),
            "row " + r + " column " + i + ": DuckDB " + w + " but Cairn " + g);
      }
    }
  }
}
