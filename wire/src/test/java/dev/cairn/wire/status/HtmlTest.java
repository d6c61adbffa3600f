package dev.cairn.wire.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.status.Html.Cell;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: nothing a writer or a node chose (a table name, a zone, an address, a log line) can
 * put markup into an operator's browser, and a marked figure names its series exactly.
 */
class HtmlTest {
  @Test
  void everyTextIsEscaped() {
    String hostile = "<script>alert('x')</script>\"&";
    String page = new Html(hostile, hostile).section(hostile).paragraph(hostile)
        .table(List.of(hostile), List.of(List.of(Cell.text(hostile)), List.of(Cell.code(hostile)),
            List.of(Cell.marked(hostile, "\"onclick=x")), List.of(Cell.decimal(hostile, hostile))))
        .finish();
    assertFalse(page.contains("<script"), page);
    assertFalse(page.contains("'x'"), page);
    assertFalse(page.contains("\"onclick"), page);
    assertTrue(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"));
  }

  @Test
  void figuresCarryTheirSeries() {
    String series = ServerMetrics.series("cairn_x_bytes", "table", "a.b\"c");
    assertEquals("cairn_x_bytes{table=\"a.b\\\"c\"}", series);
    String cell = new Html("t", "s").table(List.of("h"),
        List.of(List.of(Cell.bytes(2048, series)))).finish();
    assertTrue(cell.contains("data-metric=\"cairn_x_bytes{table=&quot;a.b\\&quot;c&quot;}\">"
        + "<span class=\"exact\">2048</span> <span class=\"human\">(2.0 KiB)</span>"), cell);
  }
}
