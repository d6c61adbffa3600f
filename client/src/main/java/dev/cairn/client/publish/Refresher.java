package dev.cairn.client.publish;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.Units;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.HeadTimestamp;
import dev.cairn.wire.manifest.HeadValidity;
import dev.cairn.wire.manifest.SignedManifest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a table's head valid under its freshness promise (docs/protocol.md 4.7): signs a new
 * head timestamp for the current head and sends it to every metadata service. What {@code
 * cairn refresh} runs, from cron or a systemd timer, more often than the promised period.
 */
public final class Refresher {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * What a refresh did.
   *
   * @param timestamp the signed timestamp sent
   * @param accepted the services that took it
   * @param failures the services that did not, with why
   */
  public record Outcome(HeadTimestamp timestamp, List<InetSocketAddress> accepted,
      Map<InetSocketAddress, String> failures) {
    public Outcome {
      requireNonNull(timestamp, "timestamp");
      accepted = List.copyOf(accepted);
      failures = Map.copyOf(failures);
    }
  }

  private Refresher() {}

  /** Refreshes with a connection pool of its own, closed afterwards; see {@link #refresh}. */
  public static Outcome refresh(List<InetSocketAddress> metaServices, Duration callTimeout,
      SigningKey key, String schema, String table, Duration validFor) {
    try (ConnectionPool pool = new ConnectionPool(CONNECT_TIMEOUT)) {
      return refresh(new MetaClient(pool, metaServices, callTimeout), key, schema, table,
          validFor);
    }
  }

  /**
   * Re-signs the current head of {@code schema.table} as valid for {@code validFor} from now
   * (null: one promised period) and publishes that timestamp. NOT_FOUND if no service knows
   * the table, UNAUTHORIZED if {@code key} is not its writer, BAD_FORMAT if the head makes no
   * promise or {@code validFor} is not positive and at most two promised periods.
   */
  public static Outcome refresh(MetaClient meta, SigningKey key, String schema, String table,
      Duration validFor) {
    VerifiedHead head = meta.head(schema, table).orElseThrow(() -> new CairnException(
        ErrorCode.NOT_FOUND, "no metadata service knows " + schema + "." + table));
    if (!head.signed().manifest().writerKey().equals(key.publicKey())) {
      throw new CairnException(ErrorCode.UNAUTHORIZED, schema + "." + table + " is signed by "
          + "key " + head.signed().manifest().writerKey().fingerprint() + ", not by "
          + key.publicKey().fingerprint());
    }
    return publish(meta, key, head.signed(), validFor);
  }

  /** Signs and publishes a timestamp for {@code head}, as {@link #refresh} does. */
  static Outcome publish(MetaClient meta, SigningKey key, SignedManifest head,
      Duration validFor) {
    long refreshEvery = head.manifest().refreshEveryMillis();
    String table = head.manifest().tableName() + " version " + head.manifest().version();
    if (refreshEvery == 0) {
      throw new CairnException(ErrorCode.BAD_FORMAT, table + " was published without "
          + "--refresh-every: it makes no freshness promise and never expires, so there is "
          + "nothing to refresh");
    }
    long validForMillis = validFor == null ? refreshEvery : validFor.toMillis();
    long validForMax = HeadValidity.REFRESH_PERIODS_AHEAD_MAX * refreshEvery;
    if (validForMillis <= 0 || validForMillis > validForMax) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "--valid-for must be more than 0 and at "
          + "most " + Units.formatDuration(Duration.ofMillis(validForMax)) + " ("
          + HeadValidity.REFRESH_PERIODS_AHEAD_MAX + " × the promised "
          + Units.formatDuration(Duration.ofMillis(refreshEvery)) + ") for " + table);
    }
    HeadTimestamp timestamp = HeadTimestamp.sign(head,
        System.currentTimeMillis() + validForMillis, key);
    MetaClient.PublishOutcome outcome = meta.publishTimestamp(timestamp);
    Map<InetSocketAddress, String> failures = new LinkedHashMap<>();
    outcome.failures().forEach((service, why) -> failures.put(service, why.getMessage()));
    return new Outcome(timestamp, outcome.accepted(), failures);
  }
}
