package dev.cairn.wire.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.util.Arrays;

/**
 * Fuzzes the manifest decoder. Without {@code JAZZER_FUZZ=1} (a normal {@code mvn verify})
 * each method runs once per file under
 * {@code src/test/resources/dev/cairn/wire/manifest/ManifestCodecFuzzTestInputs/<method>/}.
 *
 * <p>A fuzzer almost never forges a valid signature, so {@link #decode} mostly exercises the
 * structural checks up to the signature; {@link #parseBody} skips the signature to reach every
 * field, and checks the canonical property there: whatever parses re-encodes, in the format it
 * was read in (1 to 4), to the same bytes.
 */
class ManifestCodecFuzzTest {
  /** Where the format byte is: after the 7-byte magic. Each format is canonical by itself. */
  private static final int FORMAT_OFFSET = 7;

  @FuzzTest(maxDuration = "30s")
  void decode(byte[] input) {
    SignedManifest decoded;
    try {
      decoded = ManifestCodec.decode(input);
    } catch (CairnException e) {
      assertTrue(e.code() == ErrorCode.BAD_FORMAT || e.code() == ErrorCode.BAD_SIGNATURE,
          e.getMessage());
      return;
    }
    assertArrayEquals(input, decoded.encoded());
    byte[] body = ManifestCodec.encodeBody(decoded.manifest(), input[FORMAT_OFFSET]);
    assertArrayEquals(Arrays.copyOf(input, body.length), body);
    assertArrayEquals(Arrays.copyOfRange(input, body.length, input.length),
        decoded.signature());
  }

  @FuzzTest(maxDuration = "30s")
  void parseBody(byte[] input) {
    Manifest parsed;
    try {
      parsed = ManifestCodec.parseBody(input, input.length);
    } catch (CairnException e) {
      assertTrue(e.code() == ErrorCode.BAD_FORMAT, e.getMessage());
      return;
    }
    assertArrayEquals(input, ManifestCodec.encodeBody(parsed, input[FORMAT_OFFSET]));
  }
}
