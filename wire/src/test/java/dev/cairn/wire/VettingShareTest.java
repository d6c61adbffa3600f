package dev.cairn.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Vetting nodes get at most one of a blob's first R places while vetted nodes can take it. */
class VettingShareTest {
  private final List<byte[]> keys = new ArrayList<>();

  VettingShareTest() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 6; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      keys.add(key);
    }
  }

  private static int vettingAmongFirst(List<byte[]> ranked, Set<byte[]> vetting, int r) {
    return (int) ranked.subList(0, r).stream().filter(vetting::contains).count();
  }

  @Test
  void atMostOneVettingNodePerBlobWhileEnoughVettedOnesExist() {
    Set<byte[]> vetting = new HashSet<>(keys.subList(0, 3)); // 3 vetting, 3 vetted
    for (int b = 0; b < 200; b++) {
      ContentId blob = ContentId.of(new byte[] {(byte) b, 7});
      List<byte[]> ranked = VettingShare.rank(blob, keys, vetting::contains, 3);
      assertEquals(keys.size(), ranked.size(), "every node is still ranked");
      assertEquals(true, vettingAmongFirst(ranked, vetting, 3) <= 1, "blob " + b);
    }
  }

  @Test
  void vettingNodesFillThePlacesVettedOnesCannot() {
    Set<byte[]> vetting = new HashSet<>(keys.subList(0, 5)); // only one vetted node
    ContentId blob = ContentId.of(new byte[] {1});
    List<byte[]> ranked = VettingShare.rank(blob, keys, vetting::contains, 3);
    assertEquals(2, vettingAmongFirst(ranked, vetting, 3));
    assertEquals(Placement.rank(blob, keys), VettingShare.rank(blob, keys, k -> false, 3),
        "with no vetting node it is plain rendezvous placement");
  }
}
