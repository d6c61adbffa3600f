package dev.cairn.tpchdata;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The 22 TPC-H queries as the specification prints them, with its validation substitution
 * parameters, one statement each, no trailing semicolon (resources
 * {@code dev/cairn/tpchdata/queries/qNN.sql}).
 *
 * <p>Deviations from the printed text, all needed to send a query as one JDBC statement to
 * Calcite and DuckDB: intervals are written {@code interval '90' day} (without the
 * specification's precision {@code (3)}), row-count clauses are {@code limit N}, and Q15's
 * view is a {@code with revenue0 as (...)} clause. Q11's fraction is the printed 0.0001 (the
 * specification scales it by 1/SF for other scale factors; we do not, so every scale factor
 * sees the same text).
 */
public final class TpchQueries {
  /** How many queries TPC-H has. */
  public static final int COUNT = 22;

  private static final Map<Integer, String> TEXTS = load();

  private TpchQueries() {}

  /** Returns query {@code n} (1 to 22), or throws NOT_FOUND. */
  public static String text(int n) {
    String text = TEXTS.get(n);
    if (text == null) {
      throw new CairnException(ErrorCode.NOT_FOUND,
          "TPC-H has queries 1 to " + COUNT + ", not " + n);
    }
    return text;
  }

  /** Returns every query by number, in order 1 to 22. */
  public static Map<Integer, String> all() {
    return TEXTS;
  }

  /**
   * Returns whether query {@code n}'s result has a defined order (it ends with ORDER BY), so
   * that comparing results must compare row order too. False for Q6, Q14, Q17 and Q19, which
   * return one row.
   */
  public static boolean ordered(int n) {
    return text(n).toLowerCase(Locale.ROOT).contains("order by");
  }

  private static Map<Integer, String> load() {
    Map<Integer, String> texts = new LinkedHashMap<>();
    for (int n = 1; n <= COUNT; n++) {
      String name = String.format(Locale.ROOT, "queries/q%02d.sql", n);
      try (InputStream in = TpchQueries.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + name);
        }
        texts.put(n, new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + name, e);
      }
    }
    return Collections.unmodifiableMap(texts);
  }
}
