package dev.cairn.wire.status;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helper: fetches a status endpoint over real HTTP and parses the Prometheus text format
 * into series (name with its labels sorted, as {@link ServerMetrics#series} writes them) and
 * values.
 */
public final class Scrape {
  private static final Pattern SAMPLE = Pattern.compile(
      "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\d+)?$");
  private static final Pattern LABEL = Pattern.compile(
      "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private Scrape() {}

  /** One HTTP answer: status, content type and body. */
  public record Answer(int status, String contentType, String body) {}

  /** GETs {@code path} from {@code address}; bounded by a 20 s timeout. */
  public static Answer get(InetSocketAddress address, String path) throws IOException,
      InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://"
        + address.getHostString() + ":" + address.getPort() + path))
        .timeout(Duration.ofSeconds(20)).GET().build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""), response.body());
  }

  /** Scrapes {@code /metrics} and parses it; fails on a status other than 200. */
  public static Map<String, Double> metrics(InetSocketAddress address) throws IOException,
      InterruptedException {
    Answer answer = get(address, "/metrics");
    if (answer.status() != 200) {
      throw new AssertionError("GET /metrics answered " + answer.status());
    }
    return parse(answer.body());
  }

  /**
   * Parses the text format: every sample line becomes one entry; comment lines must be HELP or
   * TYPE; an unparsable line fails the test.
   */
  public static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("#")) {
        if (!line.startsWith("# HELP ") && !line.startsWith("# TYPE ")) {
          throw new AssertionError("unexpected comment line: " + line);
        }
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("not a sample line: " + line);
      }
      String key = m.group(1);
      if (m.group(3) != null && !m.group(3).isEmpty()) {
        List<String> labels = new ArrayList<>();
        Matcher label = LABEL.matcher(m.group(3));
        int end = 0;
        while (label.find() && label.start() == end) {
          labels.add(label.group(1) + "=\"" + label.group(2) + "\"");
          end = label.end();
        }
        if (end != m.group(3).length()) {
          throw new AssertionError("bad labels: " + line);
        }
        labels.sort(null);
        key = key + "{" + String.join(",", labels) + "}";
      }
      samples.put(key, value(m.group(4)));
    }
    return samples;
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  /** Returns the value of {@code series}, failing the test when the scrape lacks it. */
  public static double value(Map<String, Double> samples, String series) {
    Double value = samples.get(series);
    if (value == null) {
      throw new AssertionError("no series " + series + " in the scrape; it has "
          + samples.keySet().stream().filter(k -> k.startsWith("cairn_")).toList());
    }
    return value;
  }
}
