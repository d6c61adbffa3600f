package dev.cairn.server.social;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The spellings of {@code --readers} and what each means. */
class ReaderPolicyTest {
  @Test
  void readsEveryDocumentedForm() {
    assertEquals(ReaderPolicy.Kind.ANY, ReaderPolicy.parse("any").kind());
    assertEquals(ReaderPolicy.Kind.MEMBERS, ReaderPolicy.parse(" Members ").kind());
    assertEquals(1.0, ReaderPolicy.parse("contributors").ratio());
    ReaderPolicy half = ReaderPolicy.parse("contributors:0.5");
    assertEquals(ReaderPolicy.Kind.CONTRIBUTORS, half.kind());
    assertEquals(0.5, half.ratio());
    assertEquals("contributors:0.5", half.toString());
    assertEquals(half, ReaderPolicy.parse(half.toString()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "all", "members:1", "contributors:", "contributors:-1",
      "contributors:NaN", "contributors:1001", "contributors:abc"})
  void refusesAnythingElseByName(String text) {
    CairnException e = assertThrows(CairnException.class, () -> ReaderPolicy.parse(text));
    assertEquals(ErrorCode.BAD_CONFIG, e.code());
    assertTrue(e.getMessage().contains("contributors:RATIO"), e.getMessage());
  }
}
