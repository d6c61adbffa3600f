package dev.cairn.calcite.runtime;

import dev.cairn.calcite.sql.TranslatedQuery;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latest translations of one session's SQL texts, so a plain {@code Statement} that runs a
 * text again re-uses its translation as a {@code PreparedStatement} does: only while the heads
 * it resolved and the default schema are unchanged (the caller checks). Bounded, least recently
 * used first out. Not thread-safe: its session runs one query at a time.
 */
final class TranslationCache {
  /** A translation and what it depended on. */
  record Translation(TranslatedQuery translated, Map<String, Long> headsUsed,
      String schemaUsed) { }

  static final int ENTRIES_MAX = 64;

  private final Map<String, Translation> entries = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Translation> eldest) {
      return size() > ENTRIES_MAX;
    }
  };

  /** Fills {@code query} with the last translation of its text, if there is one. */
  void recall(PreparedQuery query) {
    Translation t = entries.get(query.sql);
    if (t != null) {
      query.translated = t.translated();
      query.headsUsed = t.headsUsed();
      query.schemaUsed = t.schemaUsed();
    }
  }

  /** Remembers {@code query}'s current translation. */
  void remember(PreparedQuery query) {
    entries.put(query.sql, new Translation(query.translated, query.headsUsed,
        query.schemaUsed));
  }

  int size() {
    return entries.size();
  }
}
