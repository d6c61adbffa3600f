package dev.cairn.server.store;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Charges stored bytes to writer keys and refuses uploads past a key's quota.
 *
 * <p>Each charge is one line {@code FINGERPRINT BLOB_ID SIZE} appended to {@code ledger.log} and
 * forced to disk before the upload is acknowledged; opening replays the file. A blob stored by
 * two writers is charged to both, so sharing bytes with another writer cannot be used to get
 * around a quota. A release (the donor dropped the blob) is a line with the size negated. A
 * torn last line (crash mid-append) is cut off at open: its blob was never
 * acknowledged, and an upload of it will be charged again.
 */
public final class QuotaLedger implements AutoCloseable {
  /** Name of the ledger file in the donor's data directory. */
  public static final String FILE = "ledger.log";

  /** Quotas of this donor: a default for any key and overrides per key fingerprint. */
  public static final class Policy {
    private final long defaultQuotaBytes;
    private final Map<String, Long> quotaBytesByFingerprint;

    /** Creates a policy; a quota of 0 refuses a key outright. */
    public Policy(long defaultQuotaBytes, Map<String, Long> quotaBytesByFingerprint) {
      this.defaultQuotaBytes = defaultQuotaBytes;
      this.quotaBytesByFingerprint = Map.copyOf(quotaBytesByFingerprint);
    }

    /** Returns the quota in bytes of the key with this fingerprint. */
    public long quotaBytes(String fingerprint) {
      return quotaBytesByFingerprint.getOrDefault(fingerprint, defaultQuotaBytes);
    }
  }

  /** What one writer key has stored on this donor: blobs charged to it and their bytes. */
  public record KeyUsage(long blobs, long bytes) {}

  /** The charges per key, as replayed from the file and kept up to date after. */
  private static final class Charges {
    final Map<String, Long> usedBytes = new HashMap<>();
    final Map<String, Set<ContentId>> charged = new HashMap<>();

    /** Applies one line of the file; a malformed one is skipped. */
    void replay(String line) {
      String[] parts = line.split(" ");
      if (parts.length != 3) {
        return;
      }
      try {
        long size = Long.parseLong(parts[2]);
        if (size < 0) {
          unrecord(parts[0], ContentId.parse(parts[1]), -size);
          return;
        }
        record(parts[0], ContentId.parse(parts[1]), size);
      } catch (RuntimeException malformedLine) {
        // Written by hand or by another version: skipped rather than stopping the donor.
      }
    }

    boolean record(String fingerprint, ContentId id, long size) {
      if (!charged.computeIfAbsent(fingerprint, f -> new HashSet<>()).add(id)) {
        return false;
      }
      usedBytes.merge(fingerprint, size, Long::sum);
      return true;
    }

    boolean unrecord(String fingerprint, ContentId id, long size) {
      Set<ContentId> ids = charged.get(fingerprint);
      if (ids == null || !ids.remove(id)) {
        return false;
      }
      usedBytes.merge(fingerprint, -size, Long::sum);
      return true;
    }

    Map<String, KeyUsage> byKey() {
      Map<String, KeyUsage> out = new TreeMap<>();
      charged.forEach((fingerprint, ids) -> out.put(fingerprint,
          new KeyUsage(ids.size(), usedBytes.getOrDefault(fingerprint, 0L))));
      return out;
    }
  }

  private final Policy policy;
  private final FileChannel channel;
  private final BufferedWriter writer;
  private final Charges charges = new Charges();
  private final Map<String, Long> usedBytes = charges.usedBytes;
  private final Map<String, Set<ContentId>> charged = charges.charged;

  private QuotaLedger(Policy policy, FileChannel channel) {
    this.policy = policy;
    this.channel = channel;
    this.writer = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8));
  }

  /** Opens the ledger file in {@code directory}, replaying earlier charges. */
  public static QuotaLedger open(Path directory, Policy policy) throws IOException {
    requireNonNull(policy, "policy");
    Path file = directory.resolve(FILE);
    byte[] content = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    int wholeLinesBytes = wholeLinesBytes(content);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    // A torn last line is cut off so the next charge starts on a line of its own.
    channel.truncate(wholeLinesBytes);
    channel.position(wholeLinesBytes);
    QuotaLedger ledger = new QuotaLedger(policy, channel);
    String text = new String(content, 0, wholeLinesBytes, StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      ledger.charges.replay(line);
    }
    return ledger;
  }

  /**
   * Reads what each writer key has stored from the ledger in {@code directory} without opening
   * it for writing or taking the directory's lock, so it works beside a running donor: the
   * file is only appended to, each line forced before its upload is acknowledged, and a torn
   * last line (an append in progress) is left out. Keys by fingerprint, in order.
   */
  public static Map<String, KeyUsage> readUsage(Path directory) throws IOException {
    Path file = directory.resolve(FILE);
    if (!Files.exists(file)) {
      return Map.of();
    }
    byte[] content = Files.readAllBytes(file);
    Charges charges = new Charges();
    String text = new String(content, 0, wholeLinesBytes(content), StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      charges.replay(line);
    }
    return charges.byKey();
  }

  /** Returns the length of {@code content} up to and with its last newline. */
  private static int wholeLinesBytes(byte[] content) {
    for (int i = content.length - 1; i >= 0; i--) {
      if (content[i] == '\n') {
        return i + 1;
      }
    }
    return 0;
  }

  private boolean record(String fingerprint, ContentId id, long size) {
    return charges.record(fingerprint, id, size);
  }

  private boolean unrecord(String fingerprint, ContentId id, long size) {
    return charges.unrecord(fingerprint, id, size);
  }

  /**
   * Releases the charges of a blob this donor no longer holds, for every key charged for it,
   * durably. Returns how many keys were charged.
   */
  public synchronized int release(ContentId id, long size) throws IOException {
    int released = 0;
    for (String fingerprint : java.util.List.copyOf(charged.keySet())) {
      if (unrecord(fingerprint, id, size)) {
        writer.write(fingerprint + " " + id.toHex() + " -" + size + "\n");
        released++;
      }
    }
    if (released > 0) {
      writer.flush();
      channel.force(false);
    }
    return released;
  }

  /** Throws QUOTA_EXCEEDED unless {@code size} more bytes fit the key's quota. */
  public synchronized void check(String fingerprint, ContentId id, long size) {
    if (charged.getOrDefault(fingerprint, Set.of()).contains(id)) {
      return;
    }
    long quota = policy.quotaBytes(fingerprint);
    long used = usedBytes.getOrDefault(fingerprint, 0L);
    if (quota == 0) {
      throw new CairnException(ErrorCode.QUOTA_EXCEEDED,
          "writer key " + fingerprint + " has no quota on this donor (quota 0)");
    }
    if (used + size > quota) {
      throw new CairnException(ErrorCode.QUOTA_EXCEEDED, "writer key " + fingerprint + " would use "
          + (used + size) + " bytes, over its quota of " + quota + " bytes on this donor");
    }
  }

  /** Charges a stored blob to a key, durably; charging the same blob twice is a no-op. */
  public synchronized void charge(String fingerprint, ContentId id, long size) throws IOException {
    if (!record(fingerprint, id, size)) {
      return;
    }
    writer.write(fingerprint + " " + id.toHex() + " " + size + "\n");
    writer.flush();
    channel.force(false);
  }

  /** Returns the bytes charged to a key. */
  public synchronized long usedBytes(String fingerprint) {
    return usedBytes.getOrDefault(fingerprint, 0L);
  }

  /** Returns the quota of a key, in bytes. */
  public long quotaBytes(String fingerprint) {
    return policy.quotaBytes(fingerprint);
  }

  /** Returns blobs and bytes charged per key fingerprint, in order. */
  public synchronized Map<String, KeyUsage> usageByKey() {
    return charges.byKey();
  }

  /** Returns bytes charged per key fingerprint. */
  public synchronized Map<String, Long> usage() {
    return Map.copyOf(usedBytes);
  }

  /** Returns the number of blobs charged per key fingerprint. */
  public synchronized Map<String, Integer> blobCounts() {
    Map<String, Integer> counts = new HashMap<>();
    charged.forEach((fingerprint, ids) -> counts.put(fingerprint, ids.size()));
    return counts;
  }

  /**
   * Closes the file. A channel already closed is not an error: a repair thread interrupted by
   * the donor's shutdown while charging closes it (FileChannel is interruptible); that charge
   * failed to its caller, and the torn line, if any, is cut off at the next open.
   */
  @Override
  public synchronized void close() throws IOException {
    if (!channel.isOpen()) {
      return;
    }
    writer.close();
  }
}
