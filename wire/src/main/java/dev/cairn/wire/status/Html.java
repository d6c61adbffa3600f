package dev.cairn.wire.status;

import dev.cairn.wire.Units;
import java.util.List;

/**
 * Builds the status pages: a whole HTML document with its one inline style sheet, sections,
 * tables and figures. Every text is escaped here, so a table name, zone or address a writer or
 * a node chose cannot inject markup into an operator's browser.
 *
 * <p>A figure the metrics endpoint also reports carries its series name in {@code
 * data-metric} and its exact value in a {@code <span class="exact">}, so a test (or a curious
 * operator) can match the page against {@code /metrics}.
 */
public final class Html {
  private static final String STYLE = """
      body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fafafa}
      h1{font-size:1.4em;margin:0 0 .2em}h2{font-size:1.1em;margin:1.4em 0 .4em;\
      border-bottom:1px solid #ccc}
      p.sub{color:#666;margin:0 0 1em}
      table{border-collapse:collapse;background:#fff}
      th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
      th{background:#eee}td.num{text-align:right;font-variant-numeric:tabular-nums}
      .human{color:#777;font-size:.9em}.ok{color:#17692c}.bad{color:#a11;font-weight:bold}
      .warn{color:#8a5a00}code{font-size:.95em}
      """;

  private final StringBuilder out = new StringBuilder(8_192);

  /** Starts a document titled {@code title}, with a subtitle line under the heading. */
  public Html(String title, String subtitle) {
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width\">")
        .append("<title>").append(escape(title)).append("</title><style>").append(STYLE)
        .append("</style></head>\n<body><h1>").append(escape(title)).append("</h1>")
        .append("<p class=\"sub\">").append(escape(subtitle)).append("</p>\n");
  }

  /** Escapes {@code text} for an HTML text node or a double-quoted attribute value. */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
      }
    }
    return escaped.toString();
  }

  /** Starts a section with heading {@code title}. */
  public Html section(String title) {
    out.append("<h2>").append(escape(title)).append("</h2>\n");
    return this;
  }

  /** Adds a paragraph of plain text. */
  public Html paragraph(String text) {
    out.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  /** Adds a table with {@code headers} and {@code rows}; cells are {@link Cell}s. */
  public Html table(List<String> headers, List<List<Cell>> rows) {
    out.append("<table><thead><tr>");
    for (String header : headers) {
      out.append("<th>").append(escape(header)).append("</th>");
    }
    out.append("</tr></thead><tbody>\n");
    for (List<Cell> row : rows) {
      out.append("<tr>");
      for (Cell cell : row) {
        out.append(cell.html);
      }
      out.append("</tr>\n");
    }
    out.append("</tbody></table>\n");
    return this;
  }

  /** Closes and returns the document. */
  public String finish() {
    return out.append("</body></html>\n").toString();
  }

  /** One table cell, already rendered and escaped. */
  public static final class Cell {
    private final String html;

    private Cell(String html) {
      this.html = html;
    }

    /** A text cell. */
    public static Cell text(String text) {
      return new Cell("<td>" + escape(text) + "</td>");
    }

    /** A text cell shown as code (keys, addresses). */
    public static Cell code(String text) {
      return new Cell("<td><code>" + escape(text) + "</code></td>");
    }

    /** A text cell with a CSS class: {@code ok}, {@code warn} or {@code bad}. */
    public static Cell marked(String text, String cssClass) {
      return new Cell("<td class=\"" + escape(cssClass) + "\">" + escape(text) + "</td>");
    }

    /** A number that is also the metrics series {@code metric} (null: not in the metrics). */
    public static Cell number(long value, String metric) {
      return new Cell("<td class=\"num\"" + metricAttribute(metric) + "><span class=\"exact\">"
          + value + "</span></td>");
    }

    /** A number that is also the series {@code metric}, with a {@code note} after it. */
    public static Cell number(long value, String metric, String note) {
      return new Cell("<td class=\"num\"" + metricAttribute(metric) + "><span class=\"exact\">"
          + value + "</span> <span class=\"human\">" + escape(note) + "</span></td>");
    }

    /** A byte count, exact and in binary units, that is also the series {@code metric}. */
    public static Cell bytes(long value, String metric) {
      return new Cell("<td class=\"num\"" + metricAttribute(metric) + "><span class=\"exact\">"
          + value + "</span> <span class=\"human\">(" + escape(Units.formatSize(value))
          + ")</span></td>");
    }

    /** A decimal figure shown as given, that is also the series {@code metric}. */
    public static Cell decimal(String value, String metric) {
      return new Cell("<td class=\"num\"" + metricAttribute(metric) + "><span class=\"exact\">"
          + escape(value) + "</span></td>");
    }

    private static String metricAttribute(String metric) {
      return metric == null ? "" : " data-metric=\"" + escape(metric) + "\"";
    }
  }
}
