package dev.cairn.wire.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
  @TempDir Path directory;

  private final SigningKey key = SigningKey.generate(new SecureRandom());

  @Test
  void secretKeyRoundTrips() {
    Path file = directory.resolve("writer.key");
    KeyFiles.writeSecretKey(file, key);
    SigningKey read = KeyFiles.readSecretKey(file);
    assertEquals(key.publicKey(), read.publicKey());
    assertArrayEquals(key.seed(), read.seed());
  }

  @Test
  void secretKeyFileIsOwnerOnly() throws IOException {
    Assumptions.assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path file = directory.resolve("writer.key");
    KeyFiles.writeSecretKey(file, key);
    assertEquals("rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void secretKeyFileHasTheDocumentedLayout() throws IOException {
    Path file = directory.resolve("writer.key");
    KeyFiles.writeSecretKey(file, key);
    List<String> lines = Files.readAllLines(file);
    assertEquals(3, lines.size());
    assertEquals("cairn-ed25519-secret-key-v1", lines.get(0));
    assertEquals(java.util.HexFormat.of().formatHex(key.seed()), lines.get(1));
    assertEquals("# public-key " + key.publicKey().toHex() + " fingerprint "
        + key.publicKey().fingerprint(), lines.get(2));
  }

  @Test
  void publicKeyRoundTrips() {
    Path file = directory.resolve("writer.pub");
    KeyFiles.writePublicKey(file, key.publicKey());
    assertEquals(key.publicKey(), KeyFiles.readPublicKey(file));
  }

  @Test
  void refusesToOverwriteAndLeavesTheOldKey() throws IOException {
    Path file = directory.resolve("writer.key");
    KeyFiles.writeSecretKey(file, key);
    byte[] before = Files.readAllBytes(file);
    SigningKey other = SigningKey.generate(new SecureRandom());
    CairnException e = assertThrows(CairnException.class,
        () -> KeyFiles.writeSecretKey(file, other));
    assertEquals(ErrorCode.IO_ERROR, e.code());
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file));
    Path publicFile = directory.resolve("writer.pub");
    KeyFiles.writePublicKey(publicFile, key.publicKey());
    assertEquals(ErrorCode.IO_ERROR, assertThrows(CairnException.class,
        () -> KeyFiles.writePublicKey(publicFile, other.publicKey())).code());
  }

  @Test
  void toleratesCarriageReturnsAndExtraComments() throws IOException {
    String seed = java.util.HexFormat.of().formatHex(key.seed());
    Path file = write("crlf.key", "cairn-ed25519-secret-key-v1\r\n" + seed + "\r\n# a\r\n#\n");
    assertEquals(key.publicKey(), KeyFiles.readSecretKey(file).publicKey());
  }

  @Test
  void malformedFilesAreBadFormat() throws IOException {
    String seed = java.util.HexFormat.of().formatHex(key.seed());
    String[] malformed = {
      "",
      "cairn-ed25519-secret-key-v1\n",
      "cairn-ed25519-secret-key-v1\n" + seed,
      "cairn-ed25519-secret-key-v2\n" + seed + "\n",
      "cairn-ed25519-public-key-v1\n" + seed + "\n",
      "cairn-ed25519-secret-key-v1\n" + seed.toUpperCase(java.util.Locale.ROOT) + "\n",
      "cairn-ed25519-secret-key-v1\n" + seed.substring(1) + "\n",
      "cairn-ed25519-secret-key-v1\n" + seed + " \n",
      "cairn-ed25519-secret-key-v1\n" + seed + "\nnot a comment\n",
      " cairn-ed25519-secret-key-v1\n" + seed + "\n",
      "cairn-ed25519-secret-key-v1\n" + "x".repeat(5000) + "\n",
    };
    for (int i = 0; i < malformed.length; i++) {
      Path file = write("bad" + i + ".key", malformed[i]);
      CairnException e = assertThrows(CairnException.class, () -> KeyFiles.readSecretKey(file),
          malformed[i]);
      assertEquals(ErrorCode.BAD_FORMAT, e.code(), e.getMessage());
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
  }

  @Test
  void publicKeyFileWithAPointOffTheCurveIsBadFormat() throws IOException {
    // y = 2 is not the y coordinate of any Ed25519 point.
    String notAPoint = "02" + "00".repeat(31);
    Path file = write("bad.pub", "cairn-ed25519-public-key-v1\n" + notAPoint + "\n");
    CairnException e = assertThrows(CairnException.class, () -> KeyFiles.readPublicKey(file));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
  }

  @Test
  void missingFileIsIoError() {
    CairnException e = assertThrows(CairnException.class,
        () -> KeyFiles.readSecretKey(directory.resolve("absent.key")));
    assertEquals(ErrorCode.IO_ERROR, e.code());
  }

  private Path write(String name, String content) throws IOException {
    Path file = directory.resolve(name);
    Files.write(file, content.getBytes(StandardCharsets.UTF_8));
    return file;
  }
}
