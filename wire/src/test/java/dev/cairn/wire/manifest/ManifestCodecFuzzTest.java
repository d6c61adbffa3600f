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
 * field, and checks the canonical property there: whatever parses re-encodes to the same bytes.
 * A format-1 body re-encodes to its format-2 equivalent ({@link #asFormat2}): the encoder
 * writes format 2 only, and readers keep the format-1 bytes they were given.
 */
class ManifestCodecFuzzTest {
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
    int bodyLength = input.length - decoded.signature().length;
    byte[] body = ManifestCodec.encodeBody(decoded.manifest());
    assertArrayEquals(asFormat2(Arrays.copyOf(input, bodyLength)), body);
    assertArrayEquals(Arrays.copyOfRange(input, bodyLength, input.length),
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
    assertArrayEquals(asFormat2(input), ManifestCodec.encodeBody(parsed));
  }

  /**
   * Returns {@code body} as format 2: a format-1 body gets format byte 2 and a zero
   * refreshEveryMillis after createdAtMillis; a format-2 body is returned as is.
   */
  static byte[] asFormat2(byte[] body) {
    int formatAt = ManifestCodec.MAGIC.length;
    if (body[formatAt] != 1) {
      return body;
    }
    int nameLength = ((body[formatAt + 1] & 0xff) << 8) | (body[formatAt + 2] & 0xff);
    int refreshAt = formatAt + 1 + 2 + nameLength + 32 + 8 + 8;
    byte[] out = new byte[body.length + 8];
    System.arraycopy(body, 0, out, 0, refreshAt);
    System.arraycopy(body, refreshAt, out, refreshAt + 8, body.length - refreshAt);
    out[formatAt] = 2;
    return out;
  }
}
