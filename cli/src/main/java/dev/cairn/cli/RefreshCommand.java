package dev.cairn.cli;

import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.Refresher;
import dev.cairn.wire.crypto.KeyFiles;
import dev.cairn.wire.manifest.HeadTimestamp;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Re-signs a table head's validity under its freshness promise; meant for cron. */
@Command(name = "refresh", mixinStandardHelpOptions = true,
    description = "Re-sign the current version of a table published with --refresh-every as "
        + "still current, so readers keep accepting it. Run it from cron or a systemd timer "
        + "more often than the promised period.")
final class RefreshCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin MetaOption metaOption;

  @Option(names = "--key", required = true, paramLabel = "FILE",
      description = "Writer key file: the key that signed the table.")
  Path key;

  @Option(names = "--table", required = true, paramLabel = "SCHEMA.TABLE",
      description = "The table to keep fresh.")
  String table;

  @Option(names = "--valid-for", paramLabel = "DURATION", converter = Converters.Time.class,
      description = "How long from now the head stays valid: more than 0 and at most twice "
          + "the promised period (default: the promised period).")
  Duration validFor;

  @Override
  public Integer call() {
    TableArgument named = TableArgument.parse(spec, table);
    Refresher.Outcome outcome = Refresher.refresh(metaOption.addresses(),
        PublishRequest.CALL_TIMEOUT_DEFAULT,
        KeyFiles.readSecretKey(key), named.schema(), named.table(), validFor);
    HeadTimestamp timestamp = outcome.timestamp();
    System.out.printf(Locale.ROOT, "refreshed %s version %d (manifest %s): valid until %s,"
            + " on %d of %d metadata services%n", table, timestamp.version(),
        timestamp.manifestId().toShortHex(), Instant.ofEpochMilli(timestamp.validUntilMillis()),
        outcome.accepted().size(), metaOption.addresses().size());
    outcome.failures().forEach((service, why) ->
        System.err.println("warning: metadata service " + service + " did not take it: " + why));
    return 0;
  }
}
