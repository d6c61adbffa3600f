package dev.cairn.wire.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.wire.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the frame-type table (section 6.3) and the error-code table (section 7) of
 * docs/protocol.md equal to the enums, so neither can gain or renumber an entry alone.
 */
class ProtocolTablesTest {
  /** A table row such as {@code | 3    | `PING` | ...} or {@code | `BUSY` | 15 | ...}. */
  private static final Pattern CODE_THEN_NAME =
      Pattern.compile("^\\|\\s*(\\d+)\\s*\\|\\s*`([A-Z_]+)`\\s*\\|");
  private static final Pattern NAME_THEN_CODE =
      Pattern.compile("^\\|\\s*`([A-Z_]+)`\\s*\\|\\s*(\\d+)\\s*\\|");

  private static String section(String heading) throws IOException {
    String document = Files.readString(Path.of("..", "docs", "protocol.md"));
    int start = document.indexOf(heading);
    int end = document.indexOf("\n## ", start + heading.length());
    return document.substring(start, end < 0 ? document.length() : end);
  }

  @Test
  void frameTypeTableMatchesTheEnum() throws IOException {
    Map<String, Integer> documented = new LinkedHashMap<>();
    for (String line : section("### 6.3 Frame types").split("\n")) {
      Matcher row = CODE_THEN_NAME.matcher(line);
      if (row.find()) {
        documented.put(row.group(2), Integer.parseInt(row.group(1)));
      }
    }
    Map<String, Integer> defined = new LinkedHashMap<>();
    Arrays.stream(FrameType.values()).forEach(type -> defined.put(type.name(), type.code()));
    assertEquals(defined, documented);
  }

  @Test
  void errorCodeTableMatchesTheEnum() throws IOException {
    Map<String, Integer> documented = new LinkedHashMap<>();
    for (String line : section("## 7. Error codes").split("\n")) {
      Matcher row = NAME_THEN_CODE.matcher(line);
      if (row.find()) {
        documented.put(row.group(1), Integer.parseInt(row.group(2)));
      }
    }
    Map<String, Integer> defined = new LinkedHashMap<>();
    Arrays.stream(ErrorCode.values()).forEach(code -> defined.put(code.name(), code.code()));
    assertEquals(defined, documented);
  }
}
