package dev.cairn.meta;

import dev.cairn.wire.AtomicFiles;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.PublicKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The metadata service's audit memory across restarts: {@code reputation.txt} in its data
 * directory, one line per node ({@code keyHex alpha beta passed failed unanswered
 * disqualified unprovenBlobHex,...}), replaced whole and atomically (written to a temporary
 * file, forced, then renamed over the old one), so a crash leaves the old or the new file.
 *
 * <p>It is the service's own file, but it is still read defensively: at most {@link
 * NodeRegistry#NODES_MAX} lines and {@link #UNPROVEN_SAVED_MAX} blobs per node; a line that
 * does not parse is skipped with a warning (that node starts fresh, as a new one would).
 */
final class ReputationFile {
  private static final Logger LOG = Logger.getLogger(ReputationFile.class.getName());
  /** Name of the file in the data directory. */
  static final String FILE_NAME = "reputation.txt";
  /** Most unproven blobs remembered per node; a node with more is disqualified anyway. */
  static final int UNPROVEN_SAVED_MAX = 1_000;
  private static final String HEADER = "# cairn audit reputation v1";

  /** What is saved of one node. */
  record Saved(Reputation reputation, Set<ContentId> unproven) {}

  private final Path file;

  ReputationFile(Path dataDir) {
    this.file = dataDir.resolve(FILE_NAME);
  }

  /** Returns the saved records, or none if the file does not exist yet. */
  Map<PublicKey, Saved> load() {
    Map<PublicKey, Saved> saved = new HashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNumber = 0;
      while ((line = reader.readLine()) != null && saved.size() < NodeRegistry.NODES_MAX) {
        lineNumber++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        try {
          parse(line, saved);
        } catch (RuntimeException e) {
          LOG.warning(file + " line " + lineNumber + " is skipped (" + e.getMessage()
              + "); that node starts with a fresh reputation");
        }
      }
    } catch (NoSuchFileException e) {
      return saved;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return saved;
  }

  private static void parse(String line, Map<PublicKey, Saved> saved) {
    String[] f = line.trim().split(" ");
    if (f.length < 7 || f.length > 8) {
      throw new IllegalArgumentException("expected 7 or 8 fields, got " + f.length);
    }
    double alpha = Double.parseDouble(f[1]);
    double beta = Double.parseDouble(f[2]);
    if (!(alpha >= 0 && beta >= 0 && alpha + beta > 0 && Double.isFinite(alpha + beta))) {
      throw new IllegalArgumentException("alpha and beta must be finite, >= 0, not both 0");
    }
    Reputation reputation = Reputation.restored(alpha, beta, nonNegative(f[3]),
        nonNegative(f[4]), nonNegative(f[5]), "1".equals(f[6]));
    Set<ContentId> unproven = new HashSet<>();
    if (f.length == 8) {
      String[] ids = f[7].split(",", UNPROVEN_SAVED_MAX + 1);
      for (int i = 0; i < Math.min(ids.length, UNPROVEN_SAVED_MAX); i++) {
        unproven.add(ContentId.parse(ids[i]));
      }
    }
    saved.put(PublicKey.parse(f[0]), new Saved(reputation, unproven));
  }

  private static long nonNegative(String text) {
    long value = Long.parseLong(text);
    if (value < 0) {
      throw new IllegalArgumentException("a count is negative: " + value);
    }
    return value;
  }

  /** Replaces the file with {@code records}, atomically. */
  void save(Map<PublicKey, Saved> records) {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    List<Map.Entry<PublicKey, Saved>> sorted = new ArrayList<>(records.entrySet());
    sorted.sort(Map.Entry.comparingByKey(java.util.Comparator.comparing(PublicKey::toHex)));
    for (Map.Entry<PublicKey, Saved> entry : sorted) {
      text.append(line(entry.getKey(), entry.getValue()));
    }
    try {
      AtomicFiles.replace(file, text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace " + file, e);
    }
  }

  private static String line(PublicKey key, Saved saved) {
    Reputation r = saved.reputation();
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%s %s %s %d %d %d %d",
        key.toHex(), Double.toString(r.alpha()), Double.toString(r.beta()), r.passed(),
        r.failed(), r.unanswered(), r.disqualified() ? 1 : 0));
    int written = 0;
    for (ContentId id : saved.unproven()) {
      if (written == UNPROVEN_SAVED_MAX) {
        break;
      }
      out.append(written == 0 ? ' ' : ',').append(id.toHex());
      written++;
    }
    return out.append('\n').toString();
  }
}
