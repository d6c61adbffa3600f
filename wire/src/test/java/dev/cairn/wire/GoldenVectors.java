package dev.cairn.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the golden vectors of docs/protocol.md (section 1, "Conventions"): fenced blocks whose
 * info string is {@code hex golden=NAME}, for example
 *
 * <pre>
 * ```hex golden=frame-ping
 * 00000009
 * 03 0102030405060708
 * ```
 * </pre>
 *
 * <p>Whitespace inside a block is ignored; anything else that is not a hex digit fails. Names
 * must be unique across the file. The file is found at {@code ../docs/protocol.md} from the
 * working directory (surefire runs in the module directory), else by walking up from it, and
 * is parsed once per JVM.
 */
public final class GoldenVectors {
  private static final Pattern FENCE_OPEN = Pattern.compile("^(`{3,}|~{3,})\\s*(.*)$");
  private static final Pattern GOLDEN_INFO = Pattern.compile("^hex\\s+golden=(\\S+)\\s*$");

  private static Map<String, byte[]> vectors;

  private GoldenVectors() {}

  /** Returns the bytes of the golden vector {@code name}; fails if there is none. */
  public static byte[] hex(String name) {
    byte[] bytes = all().get(name);
    if (bytes == null) {
      throw new IllegalArgumentException("no block ```hex golden=" + name + " in "
          + protocolFile() + "; defined: " + all().keySet());
    }
    return bytes.clone();
  }

  private static synchronized Map<String, byte[]> all() {
    if (vectors == null) {
      Path file = protocolFile();
      try {
        vectors = parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return vectors;
  }

  /** Parses every golden block out of the lines of a Markdown file. */
  static Map<String, byte[]> parse(List<String> lines, String source) {
    Map<String, byte[]> found = new LinkedHashMap<>();
    for (int index = 0; index < lines.size(); index++) {
      Matcher open = FENCE_OPEN.matcher(lines.get(index).strip());
      if (!open.matches()) {
        continue;
      }
      String fence = open.group(1);
      int start = index;
      StringBuilder hex = new StringBuilder();
      for (index++; index < lines.size() && !isClose(lines.get(index), fence); index++) {
        hex.append(lines.get(index).replaceAll("\\s+", ""));
      }
      if (index == lines.size()) {
        throw new IllegalStateException(source + ":" + (start + 1) + ": unclosed code block");
      }
      Matcher golden = GOLDEN_INFO.matcher(open.group(2));
      if (golden.matches()) {
        add(found, golden.group(1), hex.toString(), source + ":" + (start + 1));
      }
    }
    return found;
  }

  private static void add(Map<String, byte[]> found, String name, String hex, String where) {
    if (found.containsKey(name)) {
      throw new IllegalStateException(where + ": golden vector " + name + " defined twice");
    }
    try {
      found.put(name, HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(where + ": golden vector " + name + " is not hex", e);
    }
  }

  private static boolean isClose(String line, String fence) {
    String stripped = line.strip();
    return stripped.length() >= fence.length()
        && stripped.chars().allMatch(c -> c == fence.charAt(0));
  }

  private static Path protocolFile() {
    Path sibling = Path.of("..", "docs", "protocol.md");
    if (Files.isRegularFile(sibling)) {
      return sibling;
    }
    for (Path directory = Path.of("").toAbsolutePath(); directory != null;
        directory = directory.getParent()) {
      Path candidate = directory.resolve("docs").resolve("protocol.md");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("docs/protocol.md not found from " + Path.of("")
        .toAbsolutePath());
  }
}
