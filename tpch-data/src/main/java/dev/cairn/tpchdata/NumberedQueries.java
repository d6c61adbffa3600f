package dev.cairn.tpchdata;

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
 * A benchmark's queries numbered 1 to N, read once from the resources {@code queries/qNN.sql}
 * beside the class that owns them, each stripped of surrounding blanks.
 */
public final class NumberedQueries {
  private final String benchmark;
  private final Map<Integer, String> texts;

  private NumberedQueries(String benchmark, Map<Integer, String> texts) {
    this.benchmark = benchmark;
    this.texts = texts;
  }

  /** Reads queries 1 to {@code count} of {@code benchmark} from {@code owner}'s resources. */
  public static NumberedQueries load(String benchmark, int count, Class<?> owner) {
    Map<Integer, String> texts = new LinkedHashMap<>();
    for (int n = 1; n <= count; n++) {
      String name = String.format(Locale.ROOT, "queries/q%02d.sql", n);
      try (InputStream in = owner.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + name);
        }
        texts.put(n, new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + name, e);
      }
    }
    return new NumberedQueries(benchmark, Collections.unmodifiableMap(texts));
  }

  /** Returns query {@code n}, or throws NOT_FOUND. */
  public String text(int n) {
    String text = texts.get(n);
    if (text == null) {
      throw new CairnException(ErrorCode.NOT_FOUND,
          benchmark + " has queries 1 to " + texts.size() + ", not " + n);
    }
    return text;
  }

  /** Returns every query by number, in order. */
  public Map<Integer, String> all() {
    return texts;
  }

  /**
   * Returns the query numbers a list such as {@code "5,14,36"} names (blanks and a leading q
   * ignored), or all of them for null or an empty list. A number out of range throws NOT_FOUND;
   * anything else BAD_FORMAT.
   */
  public List<Integer> numbers(String list) {
    List<Integer> numbers = new ArrayList<>();
    if (list == null || list.isBlank()) {
      numbers.addAll(texts.keySet());
      return numbers;
    }
    for (String part : list.split(",")) {
      int n;
      try {
        n = Integer.parseInt(part.strip().replaceFirst("^[qQ]", ""));
      } catch (NumberFormatException e) {
        throw new CairnException(ErrorCode.BAD_FORMAT,
            "not a " + benchmark + " query number: '" + part.strip() + "'");
      }
      text(n);
      numbers.add(n);
    }
    return numbers;
  }
}
