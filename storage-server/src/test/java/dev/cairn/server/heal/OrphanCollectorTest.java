package dev.cairn.server.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.wire.ContentId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which held blobs are orphans: unnamed, never seen named, and unwanted since the cutoff. */
class OrphanCollectorTest {
  private final ContentId named = ContentId.of(new byte[] {1});
  private final ContentId old = ContentId.of(new byte[] {2});
  private final ContentId fresh = ContentId.of(new byte[] {3});
  private final ContentId gone = ContentId.of(new byte[] {4});
  /** Last wanted per blob: -1 for one deleted between the listing and the check. */
  private final Map<ContentId, Long> wanted = Map.of(named, 10L, old, 10L, fresh, 100L,
      gone, -1L);
  private final List<ContentId> held = List.of(named, old, fresh, gone);

  @Test
  void onlyUnnamedBlobsUnwantedSinceTheCutoffAreOrphans() {
    OrphanCollector collector = new OrphanCollector();
    assertEquals(List.of(old), collector.orphans(held, Set.of(named), wanted::get, 50));
    assertEquals(List.of(old, fresh), collector.orphans(held, Set.of(named), wanted::get, 101),
        "a blob wanted exactly before the cutoff is an orphan too");
  }

  @Test
  void aBlobOnceSeenNamedIsNeverAnOrphanWhileHeld() {
    OrphanCollector collector = new OrphanCollector();
    collector.orphans(held, Set.of(named, old), wanted::get, 50);
    assertEquals(List.of(), collector.orphans(held, Set.of(), wanted::get, 50),
        "a service that stops naming them cannot make the donor drop them");
    collector.orphans(List.of(fresh), Set.of(), wanted::get, 50);
    assertEquals(List.of(named, old), collector.orphans(held, Set.of(), wanted::get, 50),
        "the memory follows what is held: blobs dropped and stored again start afresh");
  }
}
