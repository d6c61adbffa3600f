package dev.cairn.calcite.sql;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cairn.tpchdata.ReferenceResult;
import dev.cairn.tpchdata.ResultMatch;
import dev.cairn.tpchdata.tpcds.TpcdsGenerator;
import dev.cairn.tpchdata.tpcds.TpcdsQueries;
import dev.cairn.tpchdata.tpcds.TpcdsTable;
import dev.cairn.wire.CairnException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The translation-level TPC-DS check, fast to iterate with (no cluster): one in-memory DuckDB
 * holds the data at scale factor 0.01 twice over, as plain tables {@code main.<table>} and as
 * the versioned relations the translator writes ({@code "tpcds"."<table>$v1"}, views of the
 * same tables); each query's original text on the plain tables must give what its translation
 * gives, compared by {@link ResultMatch}. The end-to-end contract is tpch-tests'
 * TpcdsCorrectnessTest; this one isolates the translation.
 *
 * <p>{@code -Dtpcds.queries=5,14,36} runs only those queries. DuckDB sorts NULLs as Cairn
 * documents (last ascending, first descending) for the original texts too.
 */
class TpcdsTranslationTest {
  private static final String SCHEMA = "tpcds";

  @RegisterExtension
  static final VersionedViews DB = new VersionedViews(SCHEMA, List.of(TpcdsTable.values()),
      duckdb -> {
        try (Statement s = duckdb.createStatement()) {
          s.execute("SET default_null_order = 'nulls_last_on_asc_first_on_desc'");
        }
        TpcdsGenerator.loadInto(duckdb, TpcdsGenerator.SCALE_TINY);
      });

  private final QueryTranslator translator = new QueryTranslator();

  static List<Integer> queries() {
    return TpcdsQueries.numbers(System.getProperty("tpcds.queries"));
  }

  @ParameterizedTest(name = "q{0}")
  @MethodSource("queries")
  void translationGivesTheSameResult(int n) throws Exception {
    String text = TpcdsQueries.text(n);
    ReferenceResult expected = ReferenceResult.of(DB.duckdb(), text);
    TranslatedQuery q;
    try {
      q = translator.translate(text, DB.catalog(), SCHEMA);
    } catch (CairnException e) {
      fail("q" + n + " refused: " + e.getMessage(), e);
      return;
    } catch (RuntimeException e) {
      fail("q" + n + " translation crashed: " + e, e);
      return;
    }
    List<List<Object>> actual;
    try (Statement s = DB.duckdb().createStatement();
        ResultSet rs = s.executeQuery(q.duckdbSql())) {
      actual = ResultMatch.rows(rs);
    } catch (SQLException e) {
      fail("q" + n + " error running the translation: " + e.getMessage() + "\n"
          + q.duckdbSql(), e);
      return;
    }
    assertNull(expected.difference(actual), "q" + n + " wrong rows\n" + q.duckdbSql());
  }
}
