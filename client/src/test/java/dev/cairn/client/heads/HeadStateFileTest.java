package dev.cairn.client.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.HeadTimestamp;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.manifest.RedundancyPolicy;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.message.MetaMessages.ClaimName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the head state file never has to be trusted and never breaks its owner: garbled,
 * forged or truncated entries are skipped with a log line naming the file, what verifies is
 * kept, ids never switch, and two writers of one file keep each other's records.
 */
class HeadStateFileTest {
  private static final TableSchema SCHEMA = new TableSchema(List.of(
      new Column("n", ColumnType.BIGINT, false)));
  private final SigningKey writer = SigningKey.generate(new SecureRandom());
  private final List<String> warnings = new ArrayList<>();
  private final Logger logger = Logger.getLogger(HeadStateFile.class.getName());
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      synchronized (warnings) {
        warnings.add(r.getMessage());
      }
    }

    @Override
    public void flush() { }

    @Override
    public void close() { }
  };

  @TempDir Path dir;

  @BeforeEach
  void listen() {
    logger.addHandler(handler);
  }

  @AfterEach
  void stopListening() {
    logger.removeHandler(handler);
  }

  private VerifiedHead head(String table, long version, VerifiedHead parent, long created) {
    SignedManifest signed = ManifestCodec.sign(new Manifest(table, writer.publicKey(), version,
        parent == null ? null : parent.id(), created, SCHEMA, RedundancyPolicy.replicas(1),
        List.of()), writer);
    return new VerifiedHead("acme", writer.sign(SignatureDomain.CLAIM_NAME,
        ClaimName.signedMessage("acme")), signed);
  }

  private static SeenHeads of(VerifiedHead... heads) {
    SeenHeads seen = new SeenHeads();
    for (VerifiedHead head : heads) {
      seen.observe(head);
    }
    return seen;
  }

  @Test
  void theLongestValidTimestampOfAHeadIsHeldWithoutRewritingTheFile() {
    SignedManifest signed = ManifestCodec.sign(new Manifest("t", writer.publicKey(), 1, null,
        1_000, 60_000, SCHEMA, RedundancyPolicy.replicas(1), List.of()), writer);
    VerifiedHead bare = new VerifiedHead("acme", writer.sign(SignatureDomain.CLAIM_NAME,
        ClaimName.signedMessage("acme")), signed);
    VerifiedHead stamped = bare.withTimestamp(HeadTimestamp.sign(signed, 500_000, writer));
    SeenHeads seen = of(bare);
    SeenHeads.TableKey key = SeenHeads.TableKey.of(bare);
    assertEquals(SeenHeads.Outcome.UNCHANGED, seen.observe(stamped), "the file has no stamps");
    assertEquals(500_000, seen.newest(key).orElseThrow().expiresAtMillis());
    assertEquals(SeenHeads.Outcome.UNCHANGED, seen.observe(bare));
    assertEquals(500_000, seen.newest(key).orElseThrow().expiresAtMillis(), "kept the longer");
  }

  @Test
  void whatWasSeenComesBackVerifiedAndAnIdNeverSwitches() {
    VerifiedHead v1 = head("t", 1, null, 1);
    VerifiedHead v2 = head("t", 2, v1, 2);
    HeadStateFile file = new HeadStateFile(dir.resolve("heads-seen"));
    file.update(of(v1, v2));
    SeenHeads loaded = new HeadStateFile(dir.resolve("heads-seen")).load();
    SeenHeads.TableKey key = SeenHeads.TableKey.of(v2);
    assertEquals(v2.id(), loaded.newest(key).orElseThrow().id());
    assertEquals(v1.id(), loaded.idAt(key, 1).orElseThrow());
    VerifiedHead rival = head("t", 2, v1, 3);
    assertEquals(SeenHeads.Outcome.CONFLICT, loaded.observe(rival));
    assertEquals(v2.id(), loaded.conflict(rival).orElseThrow().seen());
  }

  @Test
  void twoWritersOfOneFileKeepEachOthersTables() {
    Path path = dir.resolve("heads-seen");
    VerifiedHead t = head("t", 1, null, 1);
    VerifiedHead u = head("u", 4, null, 1);
    new HeadStateFile(path).update(of(t));
    SeenHeads merged = new HeadStateFile(path).update(of(u));
    assertEquals(2, merged.size());
    assertEquals(2, new HeadStateFile(path).load().size());
  }

  @Test
  void garbledForgedAndTruncatedEntriesAreSkippedWithANamedLogLine() throws Exception {
    Path path = dir.resolve("heads-seen");
    VerifiedHead good = head("good", 1, null, 1);
    VerifiedHead flipped = head("flipped", 1, null, 1);
    VerifiedHead forged = head("forged", 1, null, 1);
    new HeadStateFile(path).update(of(good, flipped, forged));
    byte[] bytes = Files.readAllBytes(path);
    // Entries are written in the order observed: flip a byte inside the second one, and
    // re-sign nothing in the third but change its manifest while fixing its checksum.
    int second = entryOffset(bytes, 1);
    bytes[second + 20] ^= 0x40;
    int third = entryOffset(bytes, 2);
    forgeKeepingChecksum(bytes, third);
    byte[] truncated = new byte[bytes.length + 6];
    System.arraycopy(bytes, 0, truncated, 0, bytes.length);
    truncated[bytes.length] = 0x7f; // a torn header: length 0x7f...., then the file ends
    Files.write(path, truncated);
    SeenHeads loaded = new HeadStateFile(path).load();
    assertEquals(1, loaded.size(), "only the intact, verifying entry is kept");
    assertTrue(loaded.newest(SeenHeads.TableKey.of(good)).isPresent());
    String all = String.join("\n", warnings);
    assertTrue(all.contains("head state file " + path + ": ignoring the entry at offset "
        + second + ": a checksum mismatch"), all);
    assertTrue(all.contains("ignoring the entry at offset " + third
        + ": an entry that does not verify"), all);
    assertTrue(all.contains("ignoring the rest of the file"), all);
    Files.writeString(path, "not a state file at all");
    assertEquals(0, new HeadStateFile(path).load().size());
    assertTrue(String.join("\n", warnings).contains("is not a Cairn head state file"));
    new HeadStateFile(path).update(of(good)); // and it is replaced by a good one
    assertEquals(1, new HeadStateFile(path).load().size());
  }

  @Test
  void idsAboveTheSignedNewestAreNotBelieved() {
    VerifiedHead v1 = head("t", 1, null, 1);
    SeenHeads seen = of(v1);
    SeenHeads.TableKey key = SeenHeads.TableKey.of(v1);
    seen.observeId(key, 7, ContentId.of(new byte[] {1}));
    assertTrue(seen.idAt(key, 7).isEmpty());
  }

  /** Returns the offset of entry {@code index} (0-based) of a state file. */
  private static int entryOffset(byte[] file, int index) {
    int offset = 8;
    for (int i = 0; i < index; i++) {
      int length = java.nio.ByteBuffer.wrap(file, offset, 4).getInt();
      offset += 8 + length;
    }
    return offset;
  }

  /** Changes the last manifest byte of the entry at {@code offset} and fixes its checksum. */
  private static void forgeKeepingChecksum(byte[] file, int offset) {
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(file);
    int length = buffer.getInt(offset);
    int body = offset + 8;
    int schemaLength = file[body] & 0xff;
    int manifestLength = buffer.getInt(body + 1 + schemaLength + 64);
    int manifestEnd = body + 1 + schemaLength + 64 + 4 + manifestLength;
    file[manifestEnd - 1] ^= 1; // inside the signature: no longer verifies
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(file, body, length);
    buffer.putInt(offset + 4, (int) crc.getValue());
  }

  /**
   * A writer's kept heads (its recent signed versions) survive the file and a merge with
   * another process's record, at most {@link SeenHeads#KEPT_PER_TABLE_MAX} of them, and a
   * reader's file keeps none.
   */
  @Test
  void keptHeadsSurviveTheFileBoundedAndReadersKeepNone() {
    HeadStateFile file = new HeadStateFile(dir.resolve("writer.heads"));
    VerifiedHead parent = null;
    List<VerifiedHead> chain = new ArrayList<>();
    for (long v = 1; v <= SeenHeads.KEPT_PER_TABLE_MAX + 3; v++) {
      parent = head("t", v, parent, 1000 + v);
      chain.add(parent);
      SeenHeads published = new SeenHeads();
      published.keep(parent);
      file.update(published);
    }
    SeenHeads loaded = file.load();
    SeenHeads.TableKey key = SeenHeads.TableKey.of(parent);
    assertEquals(parent.id(), loaded.newest(key).orElseThrow().id());
    List<VerifiedHead> kept = loaded.kept(key);
    assertEquals(SeenHeads.KEPT_PER_TABLE_MAX, kept.size());
    assertEquals(chain.get(3).id(), kept.get(0).id(), "the oldest beyond the bound forgotten");
    assertEquals(parent.id(), kept.get(kept.size() - 1).id());

    HeadStateFile readers = new HeadStateFile(dir.resolve("reader.heads"));
    readers.update(of(chain.get(0), chain.get(1)));
    assertEquals(List.of(), readers.load().kept(SeenHeads.TableKey.of(chain.get(0))));
    assertTrue(warnings.isEmpty(), warnings.toString());
  }
}
