package dev.cairn.wire.crypto;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes key files (docs/protocol.md, 3). Both kinds are short UTF-8 text:
 *
 * <pre>
 * cairn-ed25519-secret-key-v1          cairn-ed25519-public-key-v1
 * &lt;seed: 64 lowercase hex&gt;              &lt;public key: 64 lowercase hex&gt;
 * # public-key &lt;hex&gt; fingerprint &lt;fp&gt;   # fingerprint &lt;fp&gt;
 * </pre>
 *
 * <p>Line 1 names the format, line 2 holds the key, and any further lines must start with
 * {@code #}; they are for people and ignored on reading. Lines end in LF (a CR before it is
 * tolerated because files get edited on other systems). Anything else is BAD_FORMAT naming the
 * file and the line.
 *
 * <p>A secret key file is created with owner-only permissions ({@code rw-------}) in the same
 * call that creates it, so it is never readable by others, not even for an instant. On a file
 * system without POSIX permissions it is created plainly and then restricted as far as
 * {@link java.io.File} allows. Writing never overwrites: losing a writer's key loses the
 * ability to publish that table, so an existing file is an IO_ERROR.
 */
public final class KeyFiles {
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(KeyFiles.class.getName());

  /** First line of a secret key file. */
  public static final String SECRET_KEY_HEADER = "cairn-ed25519-secret-key-v1";
  /** First line of a public key file. */
  public static final String PUBLIC_KEY_HEADER = "cairn-ed25519-public-key-v1";
  /** Longest key file read; real ones are under 200 bytes. */
  public static final int FILE_BYTES_MAX = 4096;

  private static final HexFormat HEX = HexFormat.of();
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private KeyFiles() {}

  /** Writes {@code key} to a new owner-only file; throws IO_ERROR if {@code file} exists. */
  public static void writeSecretKey(Path file, SigningKey key) {
    requireNonNull(file, "file");
    requireNonNull(key, "key");
    PublicKey publicKey = key.publicKey();
    String text = SECRET_KEY_HEADER + "\n" + HEX.formatHex(key.seed()) + "\n# public-key "
        + publicKey.toHex() + " fingerprint " + publicKey.fingerprint() + "\n";
    createAndWrite(file, text, true);
  }

  /** Writes {@code key} to a new file; throws IO_ERROR if {@code file} exists. */
  public static void writePublicKey(Path file, PublicKey key) {
    requireNonNull(file, "file");
    requireNonNull(key, "key");
    String text = PUBLIC_KEY_HEADER + "\n" + key.toHex() + "\n# fingerprint "
        + key.fingerprint() + "\n";
    createAndWrite(file, text, false);
  }

  /**
   * Reads a node's identity key, or creates it (and its directory) on first start. A file that
   * exists but cannot be read is an error, never replaced: a new key would make the node a
   * stranger to its peers.
   */
  public static SigningKey readOrCreateSecretKey(Path file) {
    if (Files.exists(file)) {
      return readSecretKey(file);
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new CairnException(ErrorCode.IO_ERROR, "cannot create directory for " + file
          + ": " + e.getMessage(), e);
    }
    SigningKey key = SigningKey.generate(new java.security.SecureRandom());
    writeSecretKey(file, key);
    LOG.info("created key " + key.publicKey().fingerprint() + " in " + file);
    return key;
  }

  /** Reads a secret key file; BAD_FORMAT if malformed, IO_ERROR if unreadable. */
  public static SigningKey readSecretKey(Path file) {
    return SigningKey.fromSeed(HEX.parseHex(readKeyLine(file, SECRET_KEY_HEADER)));
  }

  /** Reads a public key file; BAD_FORMAT if malformed, IO_ERROR if unreadable. */
  public static PublicKey readPublicKey(Path file) {
    try {
      return PublicKey.parse(readKeyLine(file, PUBLIC_KEY_HEADER));
    } catch (CairnException e) {
      if (e.code() == ErrorCode.BAD_FORMAT) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "key file " + file + ": " + e.detail(), e);
      }
      throw e;
    }
  }

  private static void createAndWrite(Path file, String text, boolean secret) {
    byte[] content = text.getBytes(StandardCharsets.UTF_8);
    try {
      createNew(file, secret);
    } catch (FileAlreadyExistsException e) {
      throw new CairnException(ErrorCode.IO_ERROR,
          "key file " + file + " already exists; refusing to overwrite a key", e);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.IO_ERROR, "cannot create key file " + file + ": " + e, e);
    }
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
      out.write(content);
    } catch (IOException e) {
      deleteQuietly(file);
      throw new CairnException(ErrorCode.IO_ERROR, "cannot write key file " + file + ": " + e, e);
    }
  }

  /** Creates the empty file, owner-only from the first instant if it is a secret. */
  private static void createNew(Path file, boolean secret) throws IOException {
    if (!secret) {
      Files.createFile(file);
      return;
    }
    FileAttribute<Set<PosixFilePermission>> ownerOnly =
        PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    try {
      Files.createFile(file, ownerOnly);
    } catch (UnsupportedOperationException notPosix) {
      // e.g. Windows: no POSIX modes. Restrict what java.io.File can before any secret is in it.
      Files.createFile(file);
      java.io.File plain = file.toFile();
      boolean restricted = plain.setReadable(false, false) & plain.setReadable(true, true)
          & plain.setWritable(false, false) & plain.setWritable(true, true);
      if (!restricted) {
        System.getLogger(KeyFiles.class.getName()).log(System.Logger.Level.WARNING,
            "could not restrict permissions of secret key file " + file);
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // The write error being reported matters more than this one.
    }
  }

  /** Checks the layout and returns line 2, the key, known to be 64 lowercase hex characters. */
  private static String readKeyLine(Path file, String header) {
    requireNonNull(file, "file");
    List<String> lines = splitLines(file, readSmallFile(file));
    if (lines.isEmpty() || !lines.get(0).equals(header)) {
      throw malformed(file, 1, "must be exactly '" + header + "'");
    }
    if (lines.size() < 2) {
      throw malformed(file, 2, "is missing; it must hold the key as 64 lowercase hex characters");
    }
    String key = lines.get(1);
    if (key.length() != 64 || !PublicKey.isLowercaseHex(key)) {
      throw malformed(file, 2, "must be the key as 64 lowercase hex characters");
    }
    for (int i = 2; i < lines.size(); i++) {
      if (!lines.get(i).startsWith("#")) {
        throw malformed(file, i + 1, "must be a comment starting with '#'");
      }
    }
    return key;
  }

  private static byte[] readSmallFile(Path file) {
    try {
      long size = Files.size(file);
      if (size > FILE_BYTES_MAX) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "key file " + file + " is " + size
            + " bytes; a key file is at most " + FILE_BYTES_MAX);
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CairnException(ErrorCode.IO_ERROR, "cannot read key file " + file + ": " + e, e);
    }
  }

  private static List<String> splitLines(Path file, byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    if (!text.endsWith("\n")) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "key file " + file + " must end with a line feed (is it truncated?)");
    }
    List<String> lines = new java.util.ArrayList<>();
    for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
      lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
    return lines;
  }

  private static CairnException malformed(Path file, int lineNumber, String problem) {
    return new CairnException(ErrorCode.BAD_FORMAT,
        "key file " + file + " line " + lineNumber + " " + problem);
  }
}
