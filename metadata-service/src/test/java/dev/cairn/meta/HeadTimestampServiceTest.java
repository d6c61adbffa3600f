package dev.cairn.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.HeadTimestamp;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.message.MetaMessages.Heads;
import dev.cairn.wire.message.MetaMessages.TimestampOk;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PUBLISH_TIMESTAMP on real services (protocol.md 4.7, 9.3): what is refused and why, what is
 * served with the head, and that a timestamp survives a restart and travels by gossip.
 * Promises here are a minute long, so no assertion depends on how fast the machine is.
 */
class HeadTimestampServiceTest {
  private static final long MINUTE = 60_000L;
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir Path dirA;
  @TempDir Path dirB;

  private static MetadataService start(Path dir, List<InetSocketAddress> peers) {
    return MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0, dir)
        .withPeers(peers).withGossipInterval(Duration.ofMillis(100)));
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  /** Signs a timestamp with any key over any fields, as a forger would. */
  private static byte[] forge(SigningKey signer, byte[] writerKey, String table, long version,
      ContentId manifestId, long validUntil) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(writerKey);
    out.writeShort(table.length());
    out.write(table.getBytes(StandardCharsets.US_ASCII));
    out.writeLong(version);
    out.write(manifestId.toBytes());
    out.writeLong(validUntil);
    byte[] body = bytes.toByteArray();
    out.write(signer.sign(SignatureDomain.HEAD_TIMESTAMP, body));
    return bytes.toByteArray();
  }

  /** Returns the one timestamp a heads reply carries, decoded. */
  private static HeadTimestamp onlyTimestamp(Heads heads) {
    assertEquals(1, heads.timestamps().size(), "one timestamp in the trailer");
    return HeadTimestamp.decode(heads.timestamps().get(0));
  }

  @Test
  void aTimestampIsCheckedStoredAndServedWithItsHead() throws Exception {
    SigningKey writer = TestData.newKey();
    SignedManifest v1 = TestData.manifest(writer, "trips", 1, null, MINUTE);
    try (MetadataService a = start(dirA, List.of());
        MetaServiceProbe probe = new MetaServiceProbe(a.address())) {
      probe.claim(writer, "alice");
      probe.publish(v1);
      assertEquals(List.of(), probe.head("alice", "trips", 0).timestamps(), "none yet");
      HeadTimestamp first = HeadTimestamp.sign(v1, now() + MINUTE, writer);
      TimestampOk ok = probe.timestamp(first);
      assertEquals(v1.id(), ok.manifestId());
      assertEquals(first.validUntilMillis(), ok.validUntilMillis());
      assertEquals(first, onlyTimestamp(probe.head("alice", "trips", 0)));
      assertEquals(first, onlyTimestamp(probe.tables()));
      assertEquals(first, onlyTimestamp(probe.versions("alice", "trips")));
      probe.timestamp(first); // the same again: an idempotent success

      MetaServiceProbe.expect(ErrorCode.STALE_VERSION, () -> probe.timestamp(
          HeadTimestamp.sign(v1, first.validUntilMillis() - 1, writer)));
      MetaServiceProbe.expect(ErrorCode.BAD_FORMAT, () -> probe.timestamp(
          HeadTimestamp.sign(v1, now() + 24 * 60 * MINUTE, writer)));

      byte[] forged = first.encoded();
      forged[forged.length - 1] ^= 1;
      MetaServiceProbe.expect(ErrorCode.BAD_SIGNATURE, () -> probe.timestamp(forged));
      SigningKey stranger = TestData.newKey();
      byte[] inWritersName = forge(stranger, writer.publicKey().toBytes(), "trips", 1, v1.id(),
          now() + 2 * MINUTE);
      MetaServiceProbe.expect(ErrorCode.BAD_SIGNATURE, () -> probe.timestamp(inWritersName));
      byte[] ownKey = forge(stranger, stranger.publicKey().toBytes(), "trips", 1, v1.id(),
          now() + 2 * MINUTE);
      MetaServiceProbe.expect(ErrorCode.UNKNOWN_WRITER, () -> probe.timestamp(ownKey));
      probe.claim(stranger, "mallory");
      MetaServiceProbe.expect(ErrorCode.NOT_FOUND, () -> probe.timestamp(ownKey));

      SignedManifest sibling = TestData.manifest(writer, "trips", 1, null, MINUTE);
      MetaServiceProbe.expect(ErrorCode.STALE_VERSION, () -> probe.timestamp(
          HeadTimestamp.sign(sibling, now() + 2 * MINUTE, writer)));
      SignedManifest v2 = TestData.manifest(writer, "trips", 2, v1, MINUTE);
      probe.publish(v2);
      MetaServiceProbe.expect(ErrorCode.STALE_VERSION, () -> probe.timestamp(
          HeadTimestamp.sign(v1, now() + 2 * MINUTE, writer)));
      assertEquals(List.of(), probe.head("alice", "trips", 0).timestamps(),
          "the old head's timestamp does not travel with the new head");

      SignedManifest unpromised = TestData.manifest(writer, "plain", 1, null);
      probe.publish(unpromised);
      MetaServiceProbe.expect(ErrorCode.BAD_FORMAT, () -> probe.timestamp(
          HeadTimestamp.sign(unpromised, now() + MINUTE, writer)));
    }
  }

  @Test
  void aTimestampSurvivesARestartAndReachesAPeerByGossip() {
    SigningKey writer = TestData.newKey();
    SignedManifest v1 = TestData.manifest(writer, "trips", 1, null, MINUTE);
    HeadTimestamp first = HeadTimestamp.sign(v1, now() + MINUTE, writer);
    try (MetadataService a = start(dirA, List.of());
        MetaServiceProbe probe = new MetaServiceProbe(a.address())) {
      probe.claim(writer, "alice");
      probe.publish(v1);
      probe.timestamp(first);
    }
    try (MetadataService a = start(dirA, List.of());
        MetaServiceProbe toA = new MetaServiceProbe(a.address())) {
      assertEquals(first, onlyTimestamp(toA.head("alice", "trips", 0)), "replayed from disk");
      try (MetadataService b = start(dirB, List.of(a.address()));
          MetaServiceProbe toB = new MetaServiceProbe(b.address())) {
        assertTrue(TestData.eventually(PATIENCE,
            () -> hasTimestamp(toB, first.validUntilMillis())), "B got A's timestamp");
        HeadTimestamp second = HeadTimestamp.sign(v1, now() + 90_000L, writer);
        toA.timestamp(second);
        assertTrue(TestData.eventually(PATIENCE,
            () -> hasTimestamp(toB, second.validUntilMillis())), "and the newer one too");
        assertArrayEquals(second.encoded(), toB.head("alice", "trips", 0).timestamps().get(0));
      }
    }
  }

  private static boolean hasTimestamp(MetaServiceProbe probe, long validUntil) {
    try {
      List<byte[]> stamps = probe.head("alice", "trips", 0).timestamps();
      return stamps.size() == 1 && HeadTimestamp.decode(stamps.get(0)).validUntilMillis()
          == validUntil;
    } catch (dev.cairn.wire.CairnException e) {
      return false; // the head itself has not arrived yet
    }
  }
}
