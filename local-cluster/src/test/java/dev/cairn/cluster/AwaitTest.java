package dev.cairn.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bounded wait: holds, gives up, names what did not happen, and keeps interrupts. */
class AwaitTest {
  @Test
  void aConditionThatComesTrueEndsTheWait() {
    AtomicInteger asked = new AtomicInteger();
    assertTrue(Await.eventually(Duration.ofSeconds(30), () -> asked.incrementAndGet() >= 3));
    assertEquals(3, asked.get());
  }

  @Test
  void aConditionThatNeverHoldsIsAskedAgainUntilTheLimit() {
    AtomicInteger asked = new AtomicInteger();
    assertFalse(Await.eventually(Duration.ofMillis(100), () -> asked.incrementAndGet() < 0));
    assertTrue(asked.get() >= 2, "asked more than once: " + asked.get());
  }

  @Test
  void untilNamesWhatDidNotHappenAndTheStateThen() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Await.until(Duration.ZERO, "3 donors live", () -> "1 live", () -> false));
    assertTrue(e.getMessage().startsWith("3 donors live did not happen within 0 ms"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith(": 1 live"), e.getMessage());
  }

  @Test
  void anInterruptEndsTheWaitAndKeepsTheFlag() {
    Thread.currentThread().interrupt();
    assertFalse(Await.eventually(Duration.ofSeconds(30), () -> false));
    assertTrue(Thread.interrupted(), "the flag is restored (and cleared here)");
  }
}
