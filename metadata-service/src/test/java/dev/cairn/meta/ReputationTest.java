package dev.cairn.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.meta.Reputation.Change;
import dev.cairn.meta.Reputation.Outcome;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.message.NodeStanding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented numbers of the reputation model (docs/operations.md), and its file. */
class ReputationTest {
  @TempDir Path dir;

  @Test
  void sixFailuresDisqualifyAndSixPassesReinstate() {
    Reputation r = Reputation.fresh();
    assertEquals(1.0, r.score());
    for (int i = 1; i <= 5; i++) {
      assertEquals(Change.NONE, r.record(Outcome.FAILED), "failure " + i);
    }
    assertTrue(r.score() >= Reputation.DISQUALIFY_BELOW, "0.95^5 = 0.774");
    assertEquals(Change.DISQUALIFIED, r.record(Outcome.UNANSWERED), "the 6th bad audit");
    assertEquals(NodeStanding.DISQUALIFIED, r.standing());
    for (int i = 1; i <= 5; i++) {
      assertEquals(Change.NONE, r.record(Outcome.PASSED), "pass " + i);
    }
    assertEquals(NodeStanding.DISQUALIFIED, r.standing());
    assertEquals(Change.REINSTATED, r.record(Outcome.PASSED), "the 6th pass");
    assertEquals(NodeStanding.VETTING, r.standing(), "6 passes do not vet a node yet");
    assertEquals(6, r.passed());
    assertEquals(5, r.failed());
    assertEquals(1, r.unanswered());
  }

  @Test
  void aNodeIsVettedAfterTwentyPassedAudits() {
    Reputation r = Reputation.fresh();
    for (long i = 1; i < Reputation.VETTING_AUDITS; i++) {
      r.record(Outcome.PASSED);
    }
    assertEquals(NodeStanding.VETTING, r.standing());
    r.record(Outcome.FAILED); // failures neither vet nor block vetting
    assertEquals(NodeStanding.VETTING, r.standing());
    r.record(Outcome.PASSED);
    assertEquals(NodeStanding.ACTIVE, r.standing());
    assertTrue(r.inGoodStanding());
  }

  @Test
  void theFileKeepsEveryNumberAndSkipsALineThatDoesNotParse() throws Exception {
    Reputation r = Reputation.fresh();
    r.record(Outcome.PASSED);
    r.record(Outcome.FAILED);
    PublicKey key = TestData.newKey().publicKey();
    ContentId unproven = TestData.randomId();
    ReputationFile file = new ReputationFile(dir);
    file.save(Map.of(key, new ReputationFile.Saved(r, Set.of(unproven))));
    Path path = dir.resolve(ReputationFile.FILE_NAME);
    Files.writeString(path, "ff00 not a line\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    Map<PublicKey, ReputationFile.Saved> loaded = file.load();
    assertEquals(Set.of(key), loaded.keySet());
    Reputation back = loaded.get(key).reputation();
    assertEquals(r.score(), back.score());
    assertEquals(r.alpha(), back.alpha());
    assertEquals(r.beta(), back.beta());
    assertEquals(1, back.passed());
    assertEquals(1, back.failed());
    assertEquals(Set.of(unproven), loaded.get(key).unproven());
    assertEquals(Map.of(), new ReputationFile(dir.resolve("absent")).load());
  }
}
