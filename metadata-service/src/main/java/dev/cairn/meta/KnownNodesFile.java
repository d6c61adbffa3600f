package dev.cairn.meta;

import dev.cairn.wire.AtomicFiles;
import dev.cairn.wire.Zone;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.message.MetaMessages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The donors a metadata service has heard from, across its restarts: {@code nodes.txt} in its
 * data directory, one line per node ({@code keyHex lastHeardMillis heartbeatTimestampMillis
 * capacityBytes usedBytes blobCount address zone}, address and zone URL-encoded), replaced
 * whole and atomically like {@link ReputationFile}. After a restart the service lists these
 * nodes as not live until they heartbeat again, so a writer can still try a donor that is up
 * but whose next heartbeat has not arrived yet.
 *
 * <p>The file is only a hint, so it is read defensively and never stops the service: a file
 * larger than {@link #FILE_BYTES_MAX} is ignored as a whole, a line that does not parse (or
 * longer than {@link #LINE_CHARS_MAX}) is skipped, each with a WARNING; at most {@link
 * NodeRegistry#NODES_MAX} nodes are read. A node last heard from more than {@link
 * #FORGET_AFTER} ago is neither written nor read, so the file does not grow forever.
 */
final class KnownNodesFile {
  private static final Logger LOG = Logger.getLogger(KnownNodesFile.class.getName());
  /** Name of the file in the data directory. */
  static final String FILE_NAME = "nodes.txt";
  /** A node silent for longer is forgotten at the next save or load. */
  static final Duration FORGET_AFTER = Duration.ofDays(7);
  /** Longest line read: a key, five numbers, a percent-encoded address and a zone fit in it. */
  static final int LINE_CHARS_MAX = 64 + 5 * 20 + 3 * MetaMessages.ADDRESS_BYTES_MAX
      + Zone.BYTES_MAX + 16;
  /** Largest file read; a larger one is not one this service wrote. */
  static final long FILE_BYTES_MAX = (long) NodeRegistry.NODES_MAX * (LINE_CHARS_MAX + 1) + 64;
  private static final String HEADER = "# cairn known nodes v1";

  /**
   * What is saved of one node: its key, when this service last heard from it (wall clock), the
   * timestamp of its last accepted heartbeat (so an older one replayed after a restart is still
   * refused), and what it last said about itself.
   */
  record Known(PublicKey key, long lastHeardMillis, long heartbeatTimestampMillis,
      long capacityBytes, long usedBytes, long blobCount, String address, String zone) {}

  private final Path file;

  KnownNodesFile(Path dataDir) {
    this.file = dataDir.resolve(FILE_NAME);
  }

  /**
   * Returns the nodes heard from within {@link #FORGET_AFTER} before {@code nowMillis}, none if
   * the file does not exist, cannot be read or is too large (with a WARNING).
   */
  List<Known> load(long nowMillis) {
    Map<PublicKey, Known> known = new HashMap<>();
    int expired = 0;
    try {
      long size = Files.size(file);
      if (size > FILE_BYTES_MAX) {
        LOG.warning(file + " is ignored: " + size + " bytes, more than the " + FILE_BYTES_MAX
            + " a list of " + NodeRegistry.NODES_MAX + " nodes takes; donors register again "
            + "with their next heartbeats");
        return List.of();
      }
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        int lineNumber = 0;
        while ((line = reader.readLine()) != null && known.size() < NodeRegistry.NODES_MAX) {
          lineNumber++;
          if (line.isBlank() || line.startsWith("#")) {
            continue;
          }
          try {
            Known node = parse(line);
            if (nowMillis - node.lastHeardMillis() > FORGET_AFTER.toMillis()) {
              expired++;
            } else {
              known.put(node.key(), node);
            }
          } catch (RuntimeException e) {
            LOG.warning(file + " line " + lineNumber + " is skipped (" + e.getMessage()
                + "); that node is listed again with its next heartbeat");
          }
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException | UncheckedIOException e) {
      // Malformed UTF-8 arrives as an IOException too: the file is a hint, start without it.
      LOG.warning(file + " is ignored: cannot read it (" + e.getMessage() + ")");
      return List.of();
    }
    if (expired > 0) {
      LOG.info(expired + " node(s) in " + file + " were last heard from more than "
          + FORGET_AFTER.toDays() + " days ago and are forgotten");
    }
    return new ArrayList<>(known.values());
  }

  private static Known parse(String line) {
    if (line.length() > LINE_CHARS_MAX) {
      throw new IllegalArgumentException("the line is " + line.length()
          + " characters long, more than " + LINE_CHARS_MAX);
    }
    String[] f = line.trim().split(" ");
    if (f.length != 8) {
      throw new IllegalArgumentException("expected 8 fields, got " + f.length);
    }
    String address = URLDecoder.decode(f[6], StandardCharsets.UTF_8);
    if (address.isEmpty()
        || address.getBytes(StandardCharsets.UTF_8).length > MetaMessages.ADDRESS_BYTES_MAX) {
      throw new IllegalArgumentException("the address must be 1 to "
          + MetaMessages.ADDRESS_BYTES_MAX + " bytes");
    }
    String zone = Zone.check(URLDecoder.decode(f[7], StandardCharsets.UTF_8));
    return new Known(PublicKey.parse(f[0]), Long.parseLong(f[1]), nonNegative(f[2]),
        nonNegative(f[3]), nonNegative(f[4]), nonNegative(f[5]), address, zone);
  }

  private static long nonNegative(String text) {
    long value = Long.parseLong(text);
    if (value < 0) {
      throw new IllegalArgumentException("a number is negative: " + value);
    }
    return value;
  }

  /** Replaces the file with {@code nodes}, atomically (temporary file, forced, renamed). */
  void save(List<Known> nodes) {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    List<Known> sorted = new ArrayList<>(nodes);
    sorted.sort(Comparator.comparing((Known n) -> n.key().toHex()));
    for (Known n : sorted) {
      text.append(n.key().toHex()).append(' ').append(n.lastHeardMillis()).append(' ')
          .append(n.heartbeatTimestampMillis()).append(' ').append(n.capacityBytes()).append(' ')
          .append(n.usedBytes()).append(' ').append(n.blobCount()).append(' ')
          .append(URLEncoder.encode(n.address(), StandardCharsets.UTF_8)).append(' ')
          .append(URLEncoder.encode(n.zone(), StandardCharsets.UTF_8)).append('\n');
    }
    try {
      AtomicFiles.replace(file, text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace " + file, e);
    }
  }
}
