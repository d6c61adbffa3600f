package dev.cairn.wire.bench;

import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ed25519 sign and verify of a 1 KiB message through {@link SigningKey} and {@link PublicKey}
 * (Bouncy Castle underneath), domain prefix included: what a donor pays per signed request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SignatureBenchmark {
  private static final int MESSAGE_BYTES = 1024;

  private SigningKey key;
  private byte[] message;
  private byte[] signature;

  @Setup
  public void prepare() {
    key = SigningKey.generate(new SecureRandom());
    message = new byte[MESSAGE_BYTES];
    new Random(7).nextBytes(message);
    signature = key.sign(SignatureDomain.PUT_BLOB, message);
  }

  @Benchmark
  public byte[] sign() {
    return key.sign(SignatureDomain.PUT_BLOB, message);
  }

  @Benchmark
  public boolean verify() {
    return key.publicKey().verify(SignatureDomain.PUT_BLOB, message, signature);
  }
}
