package dev.cairn.meta;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.manifest.RedundancyPolicy;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.message.MetaMessages.Heartbeat;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Keys, manifests and heartbeats for tests, built with wire's real codecs. */
final class TestData {
  static final SecureRandom RANDOM = new SecureRandom();
  static final TableSchema SCHEMA = new TableSchema(List.of(
      new Column("id", ColumnType.BIGINT, false), new Column("name", ColumnType.VARCHAR, true)));

  private TestData() {}

  static SigningKey newKey() {
    return SigningKey.generate(RANDOM);
  }

  static ContentId randomId() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return ContentId.of(bytes);
  }

  /** A signed manifest of one batch (a random id: the service never fetches batches). */
  static SignedManifest manifest(SigningKey writer, String table, long version,
      SignedManifest parent) {
    return manifest(writer, table, version, parent, 0L);
  }

  /** A signed manifest like {@link #manifest} with a freshness promise (0: none). */
  static SignedManifest manifest(SigningKey writer, String table, long version,
      SignedManifest parent, long refreshEveryMillis) {
    BatchRef batch = new BatchRef(randomId(), 1000, 10, null, List.of(
        new ColumnStats(0, 1L, 10L), new ColumnStats(2, "a", "z")));
    Manifest manifest = new Manifest(table, writer.publicKey(), version,
        parent == null ? null : parent.id(), System.currentTimeMillis(), refreshEveryMillis,
        SCHEMA, RedundancyPolicy.replicas(2), List.of(batch));
    return ManifestCodec.sign(manifest, writer);
  }

  static Heartbeat heartbeat(SigningKey node, String address, long timestampMillis,
      List<ContentId> holdings) {
    return heartbeat(node, address, timestampMillis, holdings, address);
  }

  /** A heartbeat declaring {@code zone} (the address itself by the overload above). */
  static Heartbeat heartbeat(SigningKey node, String address, long timestampMillis,
      List<ContentId> holdings, String zone) {
    byte[] key = node.publicKey().toBytes();
    byte[] signed = Heartbeat.signedMessage(key, address, 1L << 40, 1L << 20, 3,
        timestampMillis, holdings, zone);
    return new Heartbeat(key, address, 1L << 40, 1L << 20, 3, timestampMillis, holdings, zone,
        node.sign(SignatureDomain.HEARTBEAT, signed));
  }

  /** Polls {@code condition} until it holds or {@code limit} passes; returns whether it held. */
  static boolean eventually(Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
