package dev.cairn.tpch.soak;

import dev.cairn.tpchdata.ReferenceResult;
import dev.cairn.tpchdata.TpchQueries;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * One query of the soak's mix with the check of its answer: a TPC-H query against DuckDB's
 * answer on the same data, or the head of the writer's small table, which must be one whole
 * version (every row of one publish attempt).
 */
interface SoakQuery {
  String name();

  String sql();

  /** Returns null when {@code rows} is right, else what is wrong with it. */
  String difference(List<List<Object>> rows);

  /** The TPC-H queries {@code numbers}, each with DuckDB's answer from {@code duckdb}. */
  static List<SoakQuery> tpch(Connection duckdb, List<Integer> numbers) throws SQLException {
    List<SoakQuery> mix = new ArrayList<>();
    for (int n : numbers) {
      String sql = TpchQueries.text(n);
      ReferenceResult expected = ReferenceResult.of(duckdb, sql);
      if (expected.rows().isEmpty()) {
        throw new IllegalStateException("q" + n + " returns no rows on DuckDB at this scale");
      }
      mix.add(new Tpch("q" + n, sql, expected));
    }
    return mix;
  }

  /** A TPC-H query and DuckDB's answer. */
  record Tpch(String name, String sql, ReferenceResult expected) implements SoakQuery {
    @Override
    public String difference(List<List<Object>> rows) {
      return expected.difference(rows);
    }
  }

  /**
   * The head of {@code schema.table} as published by {@link TickPublisher}: {@code rows}
   * rows whose {@code gen} is one publish attempt that {@code attempted} knows.
   */
  record TickHead(String schema, String table, int rows, LongPredicate attempted)
      implements SoakQuery {
    @Override
    public String name() {
      return "ticks";
    }

    @Override
    public String sql() {
      return "select count(*), min(gen), max(gen) from " + schema + "." + table;
    }

    @Override
    public String difference(List<List<Object>> answer) {
      if (answer.size() != 1 || answer.get(0).size() != 3) {
        return "not one row of three columns: " + answer;
      }
      List<Object> row = answer.get(0);
      long count = ((Number) row.get(0)).longValue();
      long low = ((Number) row.get(1)).longValue();
      long high = ((Number) row.get(2)).longValue();
      if (count != rows || low != high || !attempted.test(low)) {
        return "expected " + rows + " rows of one attempted publish, got count " + count
            + ", gen " + low + ".." + high;
      }
      return null;
    }
  }
}
