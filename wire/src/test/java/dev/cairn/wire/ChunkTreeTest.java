package dev.cairn.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The chunk tree of docs/protocol.md 4.6: shape, proofs, refusals and the golden vector. */
class ChunkTreeTest {
  private static final int C = ChunkTree.CHUNK_BYTES;

  /** The golden blob: 150 000 bytes, byte i = i mod 251 (three chunks, the last 18 928). */
  static byte[] goldenBlob() {
    byte[] blob = new byte[150_000];
    for (int i = 0; i < blob.length; i++) {
      blob[i] = (byte) (i % 251);
    }
    return blob;
  }

  private static byte[] randomBlob(int size, long seed) {
    byte[] blob = new byte[size];
    new Random(seed).nextBytes(blob);
    return blob;
  }

  private static byte[] chunk(byte[] blob, int index) {
    int from = index * C;
    return Arrays.copyOfRange(blob, from, Math.min(blob.length, from + C));
  }

  /** RFC 6962's recursive definition, written independently of the level-by-level code. */
  private static byte[] referenceRoot(List<byte[]> leaves) {
    if (leaves.size() == 1) {
      return leaves.get(0);
    }
    int k = 1;
    while (k * 2 < leaves.size()) {
      k *= 2;
    }
    MessageDigest digest = ContentId.newSha256();
    digest.update((byte) 1);
    digest.update(referenceRoot(leaves.subList(0, k)));
    digest.update(referenceRoot(leaves.subList(k, leaves.size())));
    return digest.digest();
  }

  @Test
  void chunkCountCutsAt64KibAndAnEmptyBlobHasOneChunk() {
    assertEquals(1, ChunkTree.chunkCount(0));
    assertEquals(1, ChunkTree.chunkCount(1));
    assertEquals(1, ChunkTree.chunkCount(C));
    assertEquals(2, ChunkTree.chunkCount(C + 1));
    assertEquals(128, ChunkTree.chunkCount(8L * 1024 * 1024));
    assertEquals(Integer.MAX_VALUE, ChunkTree.chunkCount(ChunkTree.BLOB_BYTES_MAX));
    assertEquals(ErrorCode.BAD_FORMAT, assertThrows(CairnException.class,
        () -> ChunkTree.chunkCount(ChunkTree.BLOB_BYTES_MAX + 1)).code());
    assertThrows(CairnException.class, () -> ChunkTree.chunkCount(-1));
    assertEquals(0, ChunkTree.chunkLength(0, 0));
    assertEquals(1, ChunkTree.chunkLength(C + 1, 1));
    assertThrows(CairnException.class, () -> ChunkTree.chunkLength(C, 1));
  }

  @Test
  void rootsFollowRfc6962ForEveryShapeUpTo17Chunks() {
    for (int chunks = 1; chunks <= 17; chunks++) {
      byte[] blob = randomBlob((chunks - 1) * C + 1 + chunks * 7, chunks);
      ChunkTree tree = ChunkTree.of(blob);
      assertEquals(chunks, tree.chunkCount());
      List<byte[]> leaves = new ArrayList<>();
      for (int i = 0; i < chunks; i++) {
        byte[] c = chunk(blob, i);
        leaves.add(ChunkTree.leafHash(c, 0, c.length).toBytes());
      }
      assertArrayEquals(referenceRoot(leaves), tree.root().toBytes(), chunks + " chunks");
    }
  }

  @Test
  void everyChunkProvesAgainstTheRootAndNothingElseDoes() {
    for (int chunks : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 13}) {
      byte[] blob = randomBlob(chunks * C - 3, 100 + chunks);
      ChunkTree tree = ChunkTree.of(blob);
      ContentId root = tree.root();
      for (int i = 0; i < chunks; i++) {
        byte[] c = chunk(blob, i);
        List<ContentId> proof = tree.proof(i);
        assertTrue(ChunkTree.verify(root, blob.length, i, c, proof), chunks + "/" + i);
        assertTrue(proof.size() <= 4, "a proof has at most ceil(log2 n) hashes");
        byte[] flipped = c.clone();
        flipped[flipped.length / 2] ^= 1;
        assertFalse(ChunkTree.verify(root, blob.length, i, flipped, proof));
        if (i == chunks - 1) {
          assertFalse(ChunkTree.verify(root, blob.length + 1, i, c, proof), "last chunk's size");
        }
        if (chunks > 1) {
          int other = (i + 1) % chunks;
          assertFalse(ChunkTree.verify(root, blob.length, other, c, proof), "another index");
          List<ContentId> longer = new ArrayList<>(proof);
          longer.add(root);
          assertFalse(ChunkTree.verify(root, blob.length, i, c, longer), "extra hash");
          assertFalse(ChunkTree.verify(root, blob.length, i, c,
              proof.subList(0, proof.size() - 1)), "missing hash");
          List<ContentId> wrong = new ArrayList<>(proof);
          wrong.set(0, ContentId.of(new byte[] {1}));
          assertFalse(ChunkTree.verify(root, blob.length, i, c, wrong), "wrong hash");
        }
      }
      assertFalse(ChunkTree.verify(root, blob.length, chunks, new byte[0], List.of()));
      assertFalse(ChunkTree.verify(root, blob.length, -1, new byte[0], List.of()));
    }
  }

  @Test
  void aLeafCannotPassForANodeAndProofsAreBounded() {
    byte[] blob = randomBlob(2 * C, 7);
    ChunkTree tree = ChunkTree.of(blob);
    // The domain prefixes keep the two children's hashes from posing as a one-chunk blob.
    byte[] children = new byte[2 * ContentId.BYTES];
    System.arraycopy(tree.leafHashes(), 0, children, 0, children.length);
    assertFalse(ChunkTree.verify(tree.root(), children.length, 0, children, List.of()));
    assertFalse(ChunkTree.verify(tree.root(), blob.length, 0, chunk(blob, 0),
        Collections.nCopies(ChunkTree.PROOF_HASHES_MAX + 1, tree.root())));
  }

  @Test
  void theBuilderTakesAnyPiecesAndAnEmptyBlobHasAnEmptyChunk() {
    byte[] blob = randomBlob(3 * C + 5, 11);
    ChunkTree.Builder builder = ChunkTree.builder();
    Random random = new Random(3);
    int offset = 0;
    while (offset < blob.length) {
      int length = Math.min(blob.length - offset, random.nextInt(2 * C));
      builder.update(ByteBuffer.wrap(blob, offset, length));
      offset += length;
    }
    ChunkTree tree = builder.build();
    assertEquals(ChunkTree.of(blob).root(), tree.root());
    assertEquals(blob.length, tree.blobBytes());
    assertThrows(IllegalStateException.class, builder::build);

    ChunkTree empty = ChunkTree.of(new byte[0]);
    assertEquals(1, empty.chunkCount());
    assertEquals(ChunkTree.leafHash(new byte[0], 0, 0), empty.root());
    assertTrue(ChunkTree.verify(empty.root(), 0, 0, new byte[0], empty.proof(0)));
    assertEquals(1, ChunkTree.of(new byte[C]).chunkCount(), "a full chunk is not followed by"
        + " an empty one");
  }

  @Test
  void leafHashesRoundTrip() {
    byte[] blob = randomBlob(5 * C, 13);
    ChunkTree tree = ChunkTree.of(blob);
    ChunkTree again = ChunkTree.fromLeafHashes(blob.length, tree.leafHashes());
    assertEquals(tree.root(), again.root());
    assertEquals(tree.proof(4), again.proof(4));
    assertEquals(ErrorCode.BAD_FORMAT, assertThrows(CairnException.class,
        () -> ChunkTree.fromLeafHashes(blob.length + C, tree.leafHashes())).code());
    assertThrows(CairnException.class, () -> tree.proof(5));
  }

  @Test
  void goldenVectorMatchesTheDoc() {
    assertArrayEquals(GoldenVectors.hex("chunk-tree-empty-root"),
        ChunkTree.root(new byte[0]).toBytes());
    byte[] blob = goldenBlob();
    ChunkTree tree = ChunkTree.of(blob);
    assertArrayEquals(GoldenVectors.hex("chunk-tree-leaves"), tree.leafHashes());
    ContentId root = ContentId.fromBytes(GoldenVectors.hex("chunk-tree-root"));
    assertEquals(root, tree.root());
    List<ContentId> proof0 = ids(GoldenVectors.hex("chunk-tree-proof-0"));
    List<ContentId> proof2 = ids(GoldenVectors.hex("chunk-tree-proof-2"));
    assertEquals(proof0, tree.proof(0));
    assertEquals(proof2, tree.proof(2));
    assertTrue(ChunkTree.verify(root, blob.length, 0, chunk(blob, 0), proof0));
    assertTrue(ChunkTree.verify(root, blob.length, 2, chunk(blob, 2), proof2));
    assertEquals(root, ContentId.of(blob), "a blob's content id is its chunk root");
  }

  private static List<ContentId> ids(byte[] concatenated) {
    List<ContentId> ids = new ArrayList<>();
    for (int i = 0; i < concatenated.length; i += ContentId.BYTES) {
      ids.add(ContentId.fromBytes(Arrays.copyOfRange(concatenated, i, i + ContentId.BYTES)));
    }
    return ids;
  }
}
