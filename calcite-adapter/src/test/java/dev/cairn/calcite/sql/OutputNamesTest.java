package dev.cairn.calcite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Result columns are named as PostgreSQL names them, both in the translation's column list and
 * in the labels DuckDB's JDBC result set reports for the written SQL, duplicates included.
 */
class OutputNamesTest {
  @RegisterExtension
  static final SharedConformanceDatabase DB = new SharedConformanceDatabase();

  private static void assertNames(List<String> expected, String sql) throws Exception {
    TranslatedQuery q = new QueryTranslator().translate(sql, DB.get().catalog());
    assertEquals(expected, q.columns().stream().map(SqlColumn::name).toList(), "columns");
    assertEquals(expected, DB.get().run(q.duckdbSql()).labels(), "JDBC labels");
  }

  @Test
  void aggregatesAndFunctionsAreNamedAfterTheFunction() throws Exception {
    assertNames(List.of("count", "sum", "sum", "avg", "max", "count"),
        "select count(*), sum(qty), sum(amount), avg(price), max(id),"
            + " count(*) filter (where qty > 1) from cf.sales");
    assertNames(List.of("s", "s"), "select sum(qty) as s, sum(amount) as s from cf.sales");
    assertNames(List.of("coalesce", "upper", "extract"),
        "select coalesce(region, 'x'), upper(code), extract(year from sold) from cf.sales");
  }

  @Test
  void otherExpressionsAreUnnamedAndAliasesAndColumnsStay() throws Exception {
    assertNames(List.of("?column?", "?column?", "case", "qty", "total", "id", "rank", "exists",
        "max"),
        "select 1 + 1, 10 // 4, case when id > 1 then 1 end, cast(qty as bigint),"
            + " sum(amount) over () as total, id, rank() over (order by id),"
            + " exists (select 1), (select max(id) from cf.returns) from cf.sales");
  }

  @Test
  void starsKeepTheirColumnsAndItemsAroundThemAreNamed() throws Exception {
    assertNames(List.of("count", "id", "category", "qty", "reason", "?column?"),
        "select count(*) over (), *, 2 * qty from cf.returns");
  }

  @Test
  void setOperationsAndValuesAreNamedByTheirFirstBranch() throws Exception {
    assertNames(List.of("sum", "sum"),
        "select sum(qty), sum(qty) from cf.sales union all select 1, 2 order by 1");
    assertNames(List.of("column1", "column2"), "values (1, 'a'), (2, 'bb')");
    assertNames(List.of("x", "y"), "select * from (values (1, 'a')) as t(x, y)");
  }
}
