package dev.cairn.wire.status;

import static dev.cairn.wire.status.ServerMetrics.series;

import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.rpc.TrafficCounters;
import dev.cairn.wire.status.Html.Cell;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/** The sections both servers' status pages share: protocol traffic and recent events. */
public final class StatusSections {
  private StatusSections() {}

  /** Requests, bytes and refusals per type since start: shared by both servers' pages. */
  public static void traffic(Html page, TrafficCounters traffic) {
    List<List<Cell>> rows = new ArrayList<>();
    for (FrameType type : traffic.requestsSeen().keySet()) {
      String name = type.name();
      rows.add(List.of(Cell.code(name),
          Cell.number(traffic.requests(type), series(ServerMetrics.REQUESTS, "type", name)),
          Cell.bytes(traffic.bytesIn(type), series(ServerMetrics.RECEIVED_BYTES, "type", name)),
          Cell.bytes(traffic.bytesOut(type), series(ServerMetrics.SENT_BYTES, "type", name))));
    }
    page.table(List.of("Request type", "Requests", "Bytes in", "Bytes out"), rows);
    List<List<Cell>> refusals = new ArrayList<>();
    for (Map.Entry<ErrorCode, Long> e : traffic.refusalsSeen().entrySet()) {
      refusals.add(List.of(Cell.code(e.getKey().name()), Cell.number(e.getValue(),
          series(ServerMetrics.REFUSALS, "code", e.getKey().name()))));
    }
    if (!refusals.isEmpty()) {
      page.table(List.of("Refused with", "Times"), refusals);
    }
  }

  /** The recent log lines: shared by both servers' pages. */
  public static void events(Html page, RecentEvents events) {
    page.section("Recent events");
    List<List<Cell>> rows = new ArrayList<>();
    for (RecentEvents.Event event : events.newestFirst()) {
      String css = event.level().intValue() >= Level.WARNING.intValue()
          ? "warn" : "ok";
      rows.add(List.of(Cell.text(event.at().truncatedTo(ChronoUnit.SECONDS).toString()),
          Cell.marked(event.level().getName(), css), Cell.text(event.message())));
    }
    if (rows.isEmpty()) {
      page.paragraph("Nothing logged at INFO or above since start.");
      return;
    }
    page.table(List.of("Time (UTC)", "Level", "Event"), rows);
  }

}
