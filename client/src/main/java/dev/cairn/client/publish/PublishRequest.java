package dev.cairn.client.publish;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.RedundancyPolicy;
import dev.cairn.wire.message.MetaMessages;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything one publish needs. Use {@link #of} for the defaults and the {@code with} methods
 * to change one setting.
 *
 * @param metaServices metadata service addresses; the head goes to all of them
 * @param key the writer's key; it claims {@code schemaName} and signs the version
 * @param schemaName the publisher name (SQL schema) the table appears under
 * @param tableName the table name
 * @param redundancy how batches survive lost storage nodes: R whole copies, or k + m shards of
 *     an erasure code, each on its own node
 * @param inputs CSV or Arrow IPC files, read in order into one table version
 * @param schema an explicit schema for CSV input ("col TYPE, ..."), or null to infer
 * @param delimiter the CSV field separator
 * @param batchTargetBytes about how many bytes each batch holds: of CSV text for CSV input, of
 *     uncompressed Arrow buffers for Arrow input
 * @param parallelism how many batches are decoded (CSV parsed), encoded and uploaded at once
 * @param callTimeout the timeout of every single request
 * @param headRecord the writer's own record of its last published heads (signed heads, kept
 *     beside its key file), or null to keep none; see {@link HeadReconciler}
 * @param refreshEvery the freshness promise put in the manifest (docs/protocol.md 4.7):
 *     {@link Duration#ZERO} for none, else 1 s to 365 days
 */
public record PublishRequest(List<InetSocketAddress> metaServices, SigningKey key,
    String schemaName, String tableName, RedundancyPolicy redundancy, List<Path> inputs,
    String schema,
    char delimiter, long batchTargetBytes, int parallelism, Duration callTimeout,
    Path headRecord, Duration refreshEvery) {
  public static final int REPLICAS_DEFAULT = 3;
  public static final long BATCH_TARGET_BYTES_DEFAULT = 8L << 20;
  /** Smallest batch target: smaller batches would make manifests and requests needlessly many. */
  public static final long BATCH_TARGET_BYTES_MIN = 1L << 10;
  public static final Duration CALL_TIMEOUT_DEFAULT = Duration.ofSeconds(60);

  public PublishRequest {
    metaServices = List.copyOf(metaServices);
    requireNonNull(key, "key");
    MetaMessages.checkSchemaName(schemaName);
    Manifest.checkTableName(requireNonNull(tableName, "tableName"));
    requireNonNull(redundancy, "redundancy");
    inputs = List.copyOf(inputs);
    if (metaServices.isEmpty()) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "no metadata service address given");
    }
    if (inputs.isEmpty()) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "no input file given");
    }
    if (batchTargetBytes < BATCH_TARGET_BYTES_MIN) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "batch target must be at least "
          + BATCH_TARGET_BYTES_MIN + " bytes");
    }
    if (parallelism < 1) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "parallelism must be at least 1");
    }
    requireNonNull(callTimeout, "callTimeout");
    Manifest.checkRefreshEvery(requireNonNull(refreshEvery, "refreshEvery").toMillis());
  }

  /** Most workers by default: each holds up to two groups of about a batch target in memory. */
  public static final int PARALLELISM_DEFAULT_MAX = 8;

  /**
   * Returns the default number of workers on {@code cores} processors: one a core, at most
   * {@link #PARALLELISM_DEFAULT_MAX}. Not one fewer, for the thread that cuts the input and the
   * upload threads: those wait on reads and donors, and a core they leave idle meanwhile is
   * lost (two workers on two cores published lineitem SF 1 5–7% faster than one,
   * docs/benchmarks.md).
   */
  public static int defaultParallelism(int cores) {
    return Math.max(1, Math.min(PARALLELISM_DEFAULT_MAX, cores));
  }

  /** Returns a request with the defaults: 3 replicas, ',' delimiter, 8 MiB batches. */

  public static PublishRequest of(List<InetSocketAddress> metaServices, SigningKey key,
      String schemaName, String tableName, List<Path> inputs) {
    int parallelism = defaultParallelism(Runtime.getRuntime().availableProcessors());
    return new PublishRequest(metaServices, key, schemaName, tableName,
        RedundancyPolicy.replicas(REPLICAS_DEFAULT),
        inputs, null, ',', BATCH_TARGET_BYTES_DEFAULT, parallelism, CALL_TIMEOUT_DEFAULT, null,
        Duration.ZERO);
  }

  /** Returns a copy that stores every batch whole on {@code r} nodes (1 to 16). */
  public PublishRequest withReplicas(int r) {
    return withRedundancy(RedundancyPolicy.replicas(r));
  }

  /**
   * Returns a copy that cuts every batch into {@code k} data and {@code m} parity shards, each
   * on its own node (docs/protocol.md 4.8); BAD_FORMAT outside 1 ≤ k, 1 ≤ m, k + m ≤ 32.
   */
  public PublishRequest withErasure(int k, int m) {
    return withRedundancy(RedundancyPolicy.erasure(k, m));
  }

  /** Returns a copy with another redundancy policy. */
  public PublishRequest withRedundancy(RedundancyPolicy policy) {
    return new PublishRequest(metaServices, key, schemaName, tableName, policy, inputs, schema,
        delimiter, batchTargetBytes, parallelism, callTimeout, headRecord,
        refreshEvery);
  }

  public PublishRequest withSchema(String explicitSchema) {
    return new PublishRequest(metaServices, key, schemaName, tableName, redundancy, inputs,
        explicitSchema, delimiter, batchTargetBytes, parallelism, callTimeout, headRecord,
        refreshEvery);
  }

  public PublishRequest withDelimiter(char d) {
    return new PublishRequest(metaServices, key, schemaName, tableName, redundancy, inputs,
        schema, d, batchTargetBytes, parallelism, callTimeout, headRecord,
        refreshEvery);
  }

  public PublishRequest withBatchTargetBytes(long bytes) {
    return new PublishRequest(metaServices, key, schemaName, tableName, redundancy, inputs,
        schema, delimiter, bytes, parallelism, callTimeout, headRecord,
        refreshEvery);
  }

  public PublishRequest withParallelism(int p) {
    return new PublishRequest(metaServices, key, schemaName, tableName, redundancy, inputs,
        schema, delimiter, batchTargetBytes, p, callTimeout, headRecord,
        refreshEvery);
  }

  /** Returns a request that keeps the writer's head record in {@code file} (null: none). */
  public PublishRequest withHeadRecord(Path file) {
    return new PublishRequest(metaServices, key, schemaName, tableName, redundancy, inputs,
        schema, delimiter, batchTargetBytes, parallelism, callTimeout, file,
        refreshEvery);
  }

  /** Returns the head record file the CLI keeps beside a key file: {@code <key>.heads}. */
  public static Path headRecordBeside(Path keyFile) {
    return keyFile.resolveSibling(keyFile.getFileName() + ".heads");
  }

  public PublishRequest withCallTimeout(Duration timeout) {
    return new PublishRequest(metaServices, key, schemaName, tableName, redundancy, inputs,
        schema, delimiter, batchTargetBytes, parallelism, timeout, headRecord,
        refreshEvery);
  }

  /** Returns a copy whose manifest promises a head timestamp at least every {@code period}. */
  public PublishRequest withRefreshEvery(Duration period) {
    return new PublishRequest(metaServices, key, schemaName, tableName, redundancy, inputs,
        schema, delimiter, batchTargetBytes, parallelism, callTimeout, headRecord, period);
  }
}
