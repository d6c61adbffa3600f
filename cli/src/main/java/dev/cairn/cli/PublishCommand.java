package dev.cairn.cli;

import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.client.publish.Publisher;
import dev.cairn.ingest.IngestOpener;
import dev.cairn.wire.Units;
import dev.cairn.wire.crypto.KeyFiles;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Publishes files as the next version of a table: visible whole, or not at all. */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = "Publish CSV (also .gz, .zst), Parquet, NDJSON or Arrow IPC files as the next"
        + " signed version of a table.")
final class PublishCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin MetaOption metaOption;

  @Option(names = "--key", required = true, paramLabel = "FILE",
      description = "Writer key file (from 'cairn keygen'). Your last published head of each "
          + "table is kept beside it in FILE.heads: publish restores it on a metadata service "
          + "that is behind it and refuses (FORK) one that holds another head for a version "
          + "you published.")
  Path key;

  @Option(names = "--table", required = true, paramLabel = "SCHEMA.TABLE",
      description = "Where to publish; SCHEMA is your publisher name, claimed on first use.")
  String table;

  @Option(names = "--replicas", paramLabel = "N", defaultValue = "3",
      description = "Copies of every batch on distinct storage servers, 1 to 16 "
          + "(default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(names = "--erasure", paramLabel = "K+M",
      description = "Instead of copies, cut every batch into K data and M parity shards of a "
          + "Reed-Solomon code, each on its own storage server; any K of them rebuild the batch,"
          + " so M servers may be lost at (K+M)/K times the space (e.g. 4+2: 1.5x, survives 2)."
          + " 1 <= K, 1 <= M, K+M <= 32, and at most the live servers.")
  String erasure;

  @Option(names = "--schema", paramLabel = "\"col TYPE, ...\"",
      description = "Column types (BIGINT, INTEGER, SMALLINT, TINYINT, DOUBLE, REAL, "
          + "DECIMAL(p,s), DATE, TIME, TIMESTAMP, TIMESTAMP WITH TIME ZONE, VARCHAR, "
          + "VARBINARY, BOOLEAN, UUID); they override the input's: CSV is parsed into them by "
          + "position, Parquet, NDJSON and Arrow are cast to them by column name. Inferred "
          + "(CSV as DuckDB sniffs it, plain or compressed alike, plus UUID; NDJSON) or taken "
          + "from the file (Parquet, Arrow) when absent.")
  String schema;

  @Option(names = "--delimiter", paramLabel = "C",
      description = "CSV field delimiter ('\\t' for tab). Default: sniffed by DuckDB from a "
          + "sample, like whether the first line is a header (',', ';', tab, '|' ...).")
  String delimiter;

  @Option(names = "--batch-size", paramLabel = "SIZE", defaultValue = "8MiB",
      converter = Converters.Size.class,
      description = "Target size of one batch: of CSV text for plain CSV input, parsed in "
          + "parallel chunks of this size; of uncompressed Arrow for every other input "
          + "(default: ${DEFAULT-VALUE}).")
  long batchBytes;

  @Option(names = "--refresh-every", paramLabel = "DURATION",
      converter = Converters.RefreshPeriod.class,
      description = "Promise to re-sign this version's validity at least this often (1s to "
          + "365d), with 'cairn refresh' from cron; once a promise lapses, readers refuse the "
          + "table with FROZEN rather than answer from a version newer ones may have replaced."
          + " Default: no promise; the version never expires.")
  Duration refreshEvery = Duration.ZERO;

  @Option(names = "--append",
      description = "Make the next version from the table's current batches, kept as they are "
          + "(not re-read, re-encoded or re-uploaded), followed by the batches of FILE; "
          + "without it FILE replaces them. Either way a version may add columns at the end "
          + "(older batches read NULL there) and widen types (TINYINT to "
          + "SMALLINT to INTEGER to BIGINT, REAL to DOUBLE, DECIMAL(p,s) "
          + "to DECIMAL(p',s) with p' >= p); dropping, renaming, reordering or changing a type "
          + "otherwise fails with SCHEMA_CHANGE before anything is uploaded.")
  boolean append;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Input files, read as one "
      + "table: Parquet and Arrow IPC (told by content), .ndjson/.jsonl/.json (one JSON object "
      + "per line), anything else CSV, gzip or zstd compressed or not (told by content).")
  List<Path> files;

  @Override
  public Integer call() {
    if (replicas < RedundancyPolicy.REPLICAS_MIN || replicas > RedundancyPolicy.REPLICAS_MAX) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--replicas must be "
          + RedundancyPolicy.REPLICAS_MIN + " to " + RedundancyPolicy.REPLICAS_MAX + ", got "
          + replicas);
    }
    RedundancyPolicy redundancy = redundancy();
    TableArgument named = TableArgument.parse(spec, table);
    for (Path file : files) {
      if (!Files.isReadable(file)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "cannot read input file " + file);
      }
    }
    SigningKey signingKey = KeyFiles.readSecretKey(key);
    PublishRequest request = PublishRequest
        .of(metaOption.addresses(), signingKey, named.schema(), named.table(), files)
        .withRedundancy(redundancy)
        .withSchema(schema)
        .withDelimiter(delimiter == null ? ',' : delimiterChar())
        .withBatchTargetBytes(batchBytes)
        .withHeadRecord(PublishRequest.headRecordBeside(key))
        .withRefreshEvery(refreshEvery);
    IngestOpener opener = new IngestOpener(delimiter == null ? null : delimiterChar());
    PublishResult result = append
        ? Publisher.append(request, ConsoleProgress.forConsole(), opener)
        : Publisher.publish(request, ConsoleProgress.forConsole(), opener);
    System.out.printf(Locale.ROOT, "%s %s version %d: %d rows in %d batches, %s"
            + " (%s uploaded) with %s in %.1f s; manifest %s%n",
        append ? "appended to" : "published", table, result.version(), result.rows(),
        result.batches(), Units.formatSize(result.bytes()),
        Units.formatSize(result.uploadedBytes()), describe(redundancy), result.seconds(),
        result.manifestId().toShortHex());
    result.metaFailures().forEach((service, why) ->
        System.err.println("warning: metadata service " + service + " did not take the head: "
            + why));
    return 0;
  }

  /** Returns the policy of --replicas or --erasure; both at once is an argument error. */
  private RedundancyPolicy redundancy() {
    if (erasure == null) {
      return RedundancyPolicy.replicas(replicas);
    }
    if (spec.commandLine().getParseResult().hasMatchedOption("--replicas")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--replicas and --erasure exclude each other: choose copies or shards");
    }
    java.util.regex.Matcher form =
        java.util.regex.Pattern.compile("(\\d{1,3})\\+(\\d{1,3})").matcher(erasure.strip());
    int k = form.matches() ? Integer.parseInt(form.group(1)) : 0;
    int m = form.matches() ? Integer.parseInt(form.group(2)) : 0;
    if (k < 1 || m < 1 || k + m > RedundancyPolicy.SHARDS_MAX) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--erasure must be K+M "
          + "with 1 <= K, 1 <= M and K+M <= " + RedundancyPolicy.SHARDS_MAX + " (e.g. 4+2), got '"
          + erasure + "'");
    }
    return RedundancyPolicy.erasure(k, m);
  }

  private static String describe(RedundancyPolicy policy) {
    return policy.isErasure()
        ? "erasure coding " + policy.dataShards() + "+" + policy.parityShards()
        : policy.replicas() + " replicas";
  }

  private char delimiterChar() {
    String d = "\\t".equals(delimiter) ? "\t" : delimiter;
    if (d.length() != 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--delimiter must be one character, got '" + delimiter + "'");
    }
    return d.charAt(0);
  }
}
