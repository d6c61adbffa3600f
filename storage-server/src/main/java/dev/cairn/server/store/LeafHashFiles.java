package dev.cairn.server.store;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.AtomicFiles;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ContentId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The leaf-hash sidecar of each blob, {@code leaves/ab/abcdef…}: the blob's chunk-tree leaf
 * hashes (32 bytes per 64 KiB chunk, docs/protocol.md 4.6) followed by the SHA-256 of those
 * hashes, so a GET_CHUNK proof costs a read of this small file instead of hashing the whole
 * blob (docs/decisions.md, "Chunk proofs from a leaf-hash sidecar").
 *
 * <p>A sidecar is a cache, never the truth: one that is missing, of the wrong length or whose
 * checksum fails is ignored and rebuilt from the blob. It is therefore written with an atomic
 * rename but without fsync, and a blob is stored before its sidecar.
 */
final class LeafHashFiles {
  private static final String LEAVES = "leaves";

  private final Path directory;
  private final Path tmp;

  LeafHashFiles(Path storeRoot, Path tmp) {
    this.directory = requireNonNull(storeRoot, "storeRoot").resolve(LEAVES);
    this.tmp = requireNonNull(tmp, "tmp");
  }

  /** Creates the directory and deletes sidecars whose blob {@code held} says is not held. */
  void open(Predicate<ContentId> held) throws IOException {
    Files.createDirectories(directory);
    try (DirectoryStream<Path> fans = Files.newDirectoryStream(directory)) {
      for (Path fan : fans) {
        if (!Files.isDirectory(fan)) {
          Files.deleteIfExists(fan);
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(fan)) {
          for (Path file : files) {
            if (!isSidecarOfHeldBlob(file, held)) {
              Files.deleteIfExists(file);
            }
          }
        }
      }
    }
  }

  private static boolean isSidecarOfHeldBlob(Path file, Predicate<ContentId> held) {
    try {
      return held.test(ContentId.parse(file.getFileName().toString()));
    } catch (dev.cairn.wire.CairnException notAnId) {
      return false;
    }
  }

  /** Returns the tree of a blob of {@code blobBytes} from its sidecar, or null if unusable. */
  ChunkTree read(ContentId id, long blobBytes) throws IOException {
    int leafBytes = ChunkTree.chunkCount(blobBytes) * ContentId.BYTES;
    byte[] file;
    try {
      Path path = path(id);
      if (Files.size(path) != leafBytes + ContentId.BYTES) {
        return null;
      }
      file = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return null;
    }
    if (file.length != leafBytes + ContentId.BYTES) {
      return null; // changed between the size check and the read
    }
    byte[] leaves = Arrays.copyOf(file, leafBytes);
    byte[] checksum = Arrays.copyOfRange(file, leafBytes, file.length);
    if (!MessageDigest.isEqual(checksum, ContentId.sha256(leaves).toBytes())) {
      return null;
    }
    return ChunkTree.fromLeafHashes(blobBytes, leaves);
  }

  /** Writes the sidecar of {@code tree} for blob {@code id}, replacing any old one. */
  void write(ContentId id, ChunkTree tree) throws IOException {
    byte[] leaves = tree.leafHashes();
    Path part = tmp.resolve(id.toHex() + "." + Long.toHexString(
        ThreadLocalRandom.current().nextLong()) + ".leaves");
    Path target = path(id);
    ByteBuffer data = ByteBuffer.allocate(leaves.length + ContentId.BYTES);
    data.put(leaves).put(ContentId.sha256(leaves).toBytes()).flip();
    // Not forced: a sidecar is checked when read and rebuilt from its blob when it is not right.
    AtomicFiles.write(part, target, data, AtomicFiles.Sync.NONE);
  }

  /** Deletes the sidecar of blob {@code id}, if any. */
  void delete(ContentId id) throws IOException {
    Files.deleteIfExists(path(id));
  }

  private Path path(ContentId id) {
    String hex = id.toHex();
    return directory.resolve(hex.substring(0, 2)).resolve(hex);
  }
}
