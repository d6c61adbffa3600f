package dev.cairn.tpchdata.tpcds;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The 99 TPC-DS queries: the TPC-DS specification's query templates with their default
 * substitutions, as distributed with DuckDB (MIT licensed, {@code
 * extension/tpcds/dsdgen/queries/NN.sql}), one statement each (resources {@code
 * dev/cairn/tpchdata/tpcds/queries/qNN.sql}).
 *
 * <p>The texts are unedited except that the trailing semicolon and blanks are stripped.
 */
public final class TpcdsQueries {
  /** How many queries TPC-DS has. */
  public static final int COUNT = 99;

  private static final Map<Integer, String> TEXTS = load();

  private TpcdsQueries() {}

  /** Returns query {@code n} (1 to 99), or throws NOT_FOUND. */
  public static String text(int n) {
    String text = TEXTS.get(n);
    if (text == null) {
      throw new CairnException(ErrorCode.NOT_FOUND,
          "TPC-DS has queries 1 to " + COUNT + ", not " + n);
    }
    return text;
  }

  /** Returns every query by number, in order 1 to 99. */
  public static Map<Integer, String> all() {
    return TEXTS;
  }

  /**
   * Returns the query numbers a list such as {@code "5,14,36"} names (blanks ignored), or all
   * of them, 1 to 99, for null or an empty list. A number out of range throws NOT_FOUND;
   * anything else BAD_FORMAT.
   */
  public static List<Integer> numbers(String list) {
    List<Integer> numbers = new ArrayList<>();
    if (list == null || list.isBlank()) {
      for (int n = 1; n <= COUNT; n++) {
        numbers.add(n);
      }
      return numbers;
    }
    for (String part : list.split(",")) {
      int n;
      try {
        n = Integer.parseInt(part.strip().replaceFirst("^[qQ]", ""));
      } catch (NumberFormatException e) {
        throw new CairnException(ErrorCode.BAD_FORMAT,
            "not a TPC-DS query number: '" + part.strip() + "'");
      }
      text(n);
      numbers.add(n);
    }
    return numbers;
  }

  private static Map<Integer, String> load() {
    Map<Integer, String> texts = new LinkedHashMap<>();
    for (int n = 1; n <= COUNT; n++) {
      String name = String.format(Locale.ROOT, "queries/q%02d.sql", n);
      try (InputStream in = TpcdsQueries.class.getResourceAsStream(name)) {
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
