package dev.cairn.wire.frame;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzzes {@link FrameDecoder} with {@link DecoderHarness}'s invariants. The first input byte
 * picks the chunk size (1 to 16 bytes per read), the rest is the stream, so the fuzzer explores
 * fragmentation as well as content.
 *
 * <p>A normal build runs only the regression inputs under
 * {@code src/test/resources/dev/cairn/wire/frame/FrameDecoderFuzzTestInputs/decode/} (Jazzer's
 * regression mode). To fuzz: {@code JAZZER_FUZZ=1 mvn -o -pl wire test
 * -Dtest=FrameDecoderFuzzTest}; a crash is saved to that directory as a new regression input.
 */
class FrameDecoderFuzzTest {
  @FuzzTest(maxDuration = "2m")
  void decode(byte[] input) {
    if (input.length == 0) {
      DecoderHarness.run(input, 1);
      return;
    }
    int chunkBytes = (input[0] & 0x0f) + 1;
    DecoderHarness.run(Arrays.copyOfRange(input, 1, input.length), chunkBytes);
  }
}
