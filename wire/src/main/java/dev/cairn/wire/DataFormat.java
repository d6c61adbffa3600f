package dev.cairn.wire;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The format version of a server's data directory, kept in the file {@value #FILE} beside its
 * {@code lock}: which kind of server wrote the directory and in which layout, so that a newer
 * binary can read (or upgrade) an older directory and a binary never misreads a directory
 * written by a newer one (docs/operations.md, "Upgrades").
 *
 * <pre>
 * # Cairn data directory: do not edit; see docs/operations.md, "Upgrades"
 * kind=donor
 * format=2
 * </pre>
 *
 * <p>Rules at start, checked under the directory's lock: no file (a directory written before
 * versions existed, or a new one) counts as format {@value #CURRENT} and gets the file; a
 * format from {@value #OLDEST_READABLE} to {@value #CURRENT} is read; format 1 (blobs named by
 * the SHA-256 of their bytes, before content ids became chunk-tree roots) cannot be, and is
 * refused with DATA_VERSION saying so; a newer or unreadable format is refused with
 * DATA_VERSION, and a directory of another kind of server with BAD_CONFIG, before anything in
 * it is touched.
 */
public final class DataFormat {
  /** Name of the format file in a data directory. */
  public static final String FILE = "format";
  /** The format this binary writes: 2 since content ids are chunk-tree roots. */
  public static final int CURRENT = 2;
  /** The oldest format this binary reads. */
  public static final int OLDEST_READABLE = 2;
  /** The format whose blobs and manifests name batches by the SHA-256 of their bytes. */
  static final int SHA256_BLOB_IDS = 1;
  /** Largest format file read; a bigger one is not ours. */
  private static final int FILE_BYTES_MAX = 4096;

  /** The kinds of server that own a data directory. */
  public enum Kind {
    DONOR("donor", "cairn server"),
    METADATA_SERVICE("metadata-service", "cairn meta");

    private final String tag;
    private final String command;

    Kind(String tag, String command) {
      this.tag = tag;
      this.command = command;
    }

    /** Returns the word written as {@code kind=} in the file. */
    public String tag() {
      return tag;
    }
  }

  private DataFormat() {}

  /**
   * Checks {@code directory}'s format for a server of {@code kind}, writing the file when it is
   * absent, and returns the format found (or {@link #CURRENT} when the file was absent). Call it
   * while holding the directory's {@link DirectoryLock}.
   */
  public static int checkOrCreate(Path directory, Kind kind) {
    return check(directory, kind, true);
  }

  /**
   * Checks {@code directory}'s format like {@link #checkOrCreate} but never writes: for tools
   * that read a directory a running server holds (an absent file counts as {@link #CURRENT}).
   */
  public static int checkReadOnly(Path directory, Kind kind) {
    return check(directory, kind, false);
  }

  private static int check(Path directory, Kind kind, boolean create) {
    requireNonNull(directory, "directory");
    requireNonNull(kind, "kind");
    Path file = directory.resolve(FILE);
    String text;
    try {
      if (Files.size(file) > FILE_BYTES_MAX) {
        throw unreadable(file, "it is larger than " + FILE_BYTES_MAX + " bytes");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException absent) {
      if (create) {
        write(file, kind);
      }
      return CURRENT;
    } catch (IOException e) {
      throw new CairnException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e, e);
    }
    return check(file, text, kind);
  }

  /** Returns the format of the file's {@code text}, refusing what this binary cannot read. */
  static int check(Path file, String text, Kind kind) {
    Properties fields = new Properties();
    try (Reader reader = new StringReader(text)) {
      fields.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw unreadable(file, e.getMessage());
    }
    String kindText = fields.getProperty("kind", "").trim();
    if (!kindText.equals(kind.tag)) {
      throw new CairnException(ErrorCode.BAD_CONFIG, "data directory " + file.getParent()
          + " belongs to a " + (kindText.isEmpty() ? "(unnamed)" : kindText) + ", not to a "
          + kind.tag + "; give " + kind.command + " a data directory of its own");
    }
    int format;
    try {
      format = Integer.parseInt(fields.getProperty("format", "").trim());
    } catch (NumberFormatException e) {
      throw unreadable(file, "'format' is not a number");
    }
    if (format > CURRENT) {
      throw new CairnException(ErrorCode.DATA_VERSION, "data directory " + file.getParent()
          + " has format " + format + ", written by a newer cairn; this one reads formats "
          + OLDEST_READABLE + " to " + CURRENT + ". Run the newer cairn on it, or restore a "
          + "backup of the directory made before the upgrade");
    }
    if (format == SHA256_BLOB_IDS) {
      throw new CairnException(ErrorCode.DATA_VERSION, "data directory " + file.getParent()
          + " has format 1: its batches are named by the SHA-256 of their bytes, and this cairn"
          + " names them by their chunk-tree root (docs/operations.md, \"Upgrades\"), so it can"
          + " neither check nor serve them. Move the directory away, start with an empty one,"
          + " and publish the tables again from their sources");
    }
    if (format < OLDEST_READABLE) {
      throw new CairnException(ErrorCode.DATA_VERSION, "data directory " + file.getParent()
          + " has format " + format + ", older than this cairn reads (" + OLDEST_READABLE
          + " to " + CURRENT + "). Start it once with a cairn release that reads both, which "
          + "upgrades it, then this one");
    }
    return format;
  }

  private static CairnException unreadable(Path file, String why) {
    return new CairnException(ErrorCode.DATA_VERSION, "cannot tell the format of data "
        + "directory " + file.getParent() + " from " + file + " (" + why + "); restore the file"
        + " from a backup, or delete it if the directory was written by this version of cairn");
  }

  /** Writes the file for {@code kind} at {@link #CURRENT}: to a temporary file, forced, then renamed. */
  private static void write(Path file, Kind kind) {
    String text = "# Cairn data directory: do not edit; see docs/operations.md, \"Upgrades\"\n"
        + "kind=" + kind.tag + "\nformat=" + CURRENT + "\n";
    try {
      AtomicFiles.replace(file, text);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.IO_ERROR, "cannot write " + file + ": " + e, e);
    }
  }
}
