package dev.cairn.wire.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Candidate content-id hashes over blob-sized buffers (docs/decisions.md, "Content ids"):
 * the JDK's SHA-256 (which HotSpot compiles to SHA-NI instructions where the CPU has them),
 * Bouncy Castle's pure-Java SHA-256 and Bouncy Castle's BLAKE3. Reported as operations per
 * second; MB/s = ops/s × size in MiB. Run on demand, see docs/decisions.md for the command.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HashBenchmark {
  @Param({"1048576", "8388608"})
  public int sizeBytes;

  private byte[] data;
  private final byte[] out = new byte[32];

  @Setup
  public void fill() {
    data = new byte[sizeBytes];
    new Random(42).nextBytes(data);
  }

  @Benchmark
  public byte[] jdkSha256() throws NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    digest.update(data);
    return digest.digest();
  }

  @Benchmark
  public byte[] bouncyCastleSha256() {
    return finish(new SHA256Digest());
  }

  @Benchmark
  public byte[] bouncyCastleBlake3() {
    return finish(new Blake3Digest(256));
  }

  private byte[] finish(Digest digest) {
    digest.update(data, 0, data.length);
    digest.doFinal(out, 0);
    return out;
  }
}
