package dev.cairn.wire.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded random input: reproducible, unlike the fuzzer, and runs in every build. */
class FrameDecoderGarbageTest {
  private static final long SEED = 0x43414952_4e5eedL;

  @Test
  void randomBytesOnlyEverFailWithFrameException() {
    Random random = new Random(SEED);
    int failures = 0;
    for (int run = 0; run < 2000; run++) {
      byte[] garbage = new byte[random.nextInt(200)];
      random.nextBytes(garbage);
      failures += DecoderHarness.run(garbage, 1 + random.nextInt(32)).failures();
    }
    assertTrue(failures > 1500, "random bytes should almost always be refused: " + failures);
  }

  @Test
  void plausibleFramesWithRandomFieldsOnlyEverFailWithFrameException() {
    Random random = new Random(SEED + 1);
    int frames = 0;
    for (int run = 0; run < 2000; run++) {
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      for (int count = random.nextInt(4); count >= 0; count--) {
        writePlausibleFrame(random, stream);
      }
      frames += DecoderHarness.run(stream.toByteArray(), 1 + random.nextInt(64)).frames();
    }
    assertTrue(frames > 1000, "most plausible frames should decode: " + frames);
  }

  @Test
  void harnessCountsWhatItSees() {
    byte[] twoPings = java.util.HexFormat.of().parseHex(
        "00000009030000000000000001" + "00000009030000000000000002");
    DecoderHarness harness = DecoderHarness.run(twoPings, 3);
    assertEquals(2, harness.frames());
    assertEquals(0, harness.failures());
    assertEquals(1, DecoderHarness.run(new byte[] {0, 0, 0, 9, 3}, 1).failures());
  }

  /** Writes a frame whose fields are mostly right, so the decoder gets past its first checks. */
  private static void writePlausibleFrame(Random random, ByteArrayOutputStream stream) {
    int payloadBytes = random.nextInt(40);
    int length = 9 + payloadBytes + (random.nextInt(10) == 0 ? random.nextInt(9) - 4 : 0);
    FrameType[] types = FrameType.values();
    int type = random.nextInt(20) == 0 ? random.nextInt(256)
        : types[random.nextInt(types.length)].code();
    byte[] rest = new byte[8 + payloadBytes];
    random.nextBytes(rest);
    stream.write(length >>> 24);
    stream.write(length >>> 16);
    stream.write(length >>> 8);
    stream.write(length);
    stream.write(type);
    stream.writeBytes(rest);
  }
}
