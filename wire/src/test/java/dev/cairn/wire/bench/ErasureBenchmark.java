package dev.cairn.wire.bench;

import dev.cairn.wire.erasure.ReedSolomon;
import dev.cairn.wire.erasure.Stripe;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * The Reed-Solomon codec on one 8 MiB batch blob, one thread (docs/benchmarks.md, "Erasure
 * codec"). {@code encode} computes the m parity shards from the k data shards; {@code decode}
 * rebuilds the blob with the first m data shards lost, the worst case a reader meets. Reported
 * as operations per second; GB/s per core = ops/s × 8 MiB of blob (data bytes, as ISA-L counts).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ErasureBenchmark {
  private static final int BLOB_BYTES = 8 * 1024 * 1024;

  @Param({"4+2", "10+4"})
  public String code;

  private ReedSolomon codec;
  private byte[][] shards;
  private byte[][] damaged;
  private int shardBytes;

  @Setup
  public void cut() {
    String[] parts = code.split("\\+");
    codec = ReedSolomon.of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    byte[] blob = new byte[BLOB_BYTES];
    new Random(42).nextBytes(blob);
    shards = Stripe.cut(blob, codec);
    shardBytes = shards[0].length;
    damaged = shards.clone();
    for (int i = 0; i < codec.parityCount(); i++) {
      damaged[i] = null;
    }
  }

  @Benchmark
  public byte[][] encode() {
    codec.encodeParity(shards, shardBytes);
    return shards;
  }

  @Benchmark
  public byte[] decode() {
    return Stripe.decode(damaged, codec, BLOB_BYTES);
  }
}
