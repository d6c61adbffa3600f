package dev.cairn.tpchdata;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A query's answer from a reference database (DuckDB), kept to judge another engine's answer to
 * the same text by {@link ResultMatch}'s rules, with the order its {@link QueryOrder} gives.
 */
public final class ReferenceResult {
  private final Connection reference;
  private final QueryOrder order;
  private final List<String> labels;
  private final List<List<Object>> rows;

  private ReferenceResult(Connection reference, QueryOrder order, List<String> labels,
      List<List<Object>> rows) {
    this.reference = reference;
    this.order = order;
    this.labels = labels;
    this.rows = rows;
  }

  /** Runs {@code sql} on {@code reference}; the connection stays in use for LIMIT ties. */
  public static ReferenceResult of(Connection reference, String sql) throws SQLException {
    try (Statement statement = reference.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      return new ReferenceResult(reference, QueryOrder.of(sql), ResultMatch.labels(result),
          ResultMatch.rows(result));
    }
  }

  /** Returns the reference rows, read as {@link ResultMatch#rows} reads them. */
  public List<List<Object>> rows() {
    return rows;
  }

  /** Returns how {@code actual} differs from the reference answer, or null when it matches. */
  public String difference(List<List<Object>> actual) {
    return ResultMatch.difference(rows, actual, order, labels, this::uncut);
  }

  private List<List<Object>> uncut() {
    try (Statement statement = reference.createStatement();
        ResultSet result = statement.executeQuery(order.withoutLimit())) {
      return ResultMatch.rows(result);
    } catch (SQLException e) {
      throw new IllegalStateException("the reference cannot run the query without its LIMIT", e);
    }
  }
}
