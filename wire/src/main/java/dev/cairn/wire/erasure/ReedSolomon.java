package dev.cairn.wire.erasure;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A systematic Reed-Solomon code over GF(2^8) with k data and m parity shards: the data shards
 * are the input bytes themselves, and any k of the k + m shards rebuild the rest. Shard byte i
 * of parity shard p is {@code sum_j P[p][j] · data_j[i]} with P the {@link CodingMatrix#parity}
 * matrix; docs/protocol.md 4.8 states the code so another implementation can match it.
 *
 * <p>The matrices are built and inverted with the log/exp tables of {@link Galois}; the shard
 * bytes go through {@link ShardKernels}, which multiplies by doubling and XOR so that HotSpot
 * vectorises it (a product-table lookup per byte measured 2.7 times slower). Instances are
 * immutable and thread-safe.
 */
public final class ReedSolomon {
  /** Most shards (k + m) a code over GF(2^8) can have: the Cauchy points must be distinct. */
  public static final int SHARDS_MAX = Galois.ORDER;

  private final int dataCount;
  private final int parityCount;
  private final int[][] parityMatrix;

  private ReedSolomon(int dataCount, int parityCount) {
    this.dataCount = dataCount;
    this.parityCount = parityCount;
    this.parityMatrix = CodingMatrix.parity(dataCount, parityCount);
  }

  /** Returns the code of {@code dataCount} ≥ 1 data, {@code parityCount} ≥ 1 parity shards. */
  public static ReedSolomon of(int dataCount, int parityCount) {
    if (dataCount < 1 || parityCount < 1 || dataCount + parityCount > SHARDS_MAX) {
      throw new IllegalArgumentException("a Reed-Solomon code needs k ≥ 1, m ≥ 1 and k + m ≤ "
          + SHARDS_MAX + ", not k = " + dataCount + ", m = " + parityCount);
    }
    return new ReedSolomon(dataCount, parityCount);
  }

  /** Returns k, the number of data shards. */
  public int dataCount() {
    return dataCount;
  }

  /** Returns m, the number of parity shards. */
  public int parityCount() {
    return parityCount;
  }

  /** Returns k + m. */
  public int totalCount() {
    return dataCount + parityCount;
  }

  /** Returns the coefficient of data shard {@code column} in parity shard {@code row}. */
  public int parityCoefficient(int row, int column) {
    return parityMatrix[row][column];
  }

  /**
   * Computes the m parity shards from the k data shards: {@code shards[0..k)} are read,
   * {@code shards[k..k+m)} overwritten; every shard has at least {@code shardBytes} bytes.
   */
  public void encodeParity(byte[][] shards, int shardBytes) {
    checkShards(shards, shardBytes);
    byte[][] data = Arrays.copyOfRange(shards, 0, dataCount);
    byte[][] parity = Arrays.copyOfRange(shards, dataCount, dataCount + parityCount);
    combine(parityMatrix, data, parity, shardBytes);
  }

  /**
   * Rebuilds in place every shard whose {@code present} flag is false, from the first k present
   * ones; the rebuilt shards' arrays must already be allocated. With {@code dataOnly} only the
   * missing data shards are rebuilt, which is all a reader needs. IllegalArgumentException if
   * fewer than k shards are present.
   */
  public void reconstruct(byte[][] shards, boolean[] present, int shardBytes, boolean dataOnly) {
    checkShards(shards, shardBytes);
    requireNonNull(present, "present");
    if (present.length != totalCount()) {
      throw new IllegalArgumentException(present.length + " presence flags for "
          + totalCount() + " shards");
    }
    int[] survivors = firstPresent(present);
    int[] missingData = missing(present, 0, dataCount);
    if (missingData.length > 0) {
      int[][] decode = CodingMatrix.invert(generatorRows(survivors));
      int[][] rows = new int[missingData.length][];
      byte[][] outputs = new byte[missingData.length][];
      for (int i = 0; i < missingData.length; i++) {
        rows[i] = decode[missingData[i]];
        outputs[i] = shards[missingData[i]];
      }
      byte[][] inputs = new byte[dataCount][];
      for (int i = 0; i < dataCount; i++) {
        inputs[i] = shards[survivors[i]];
      }
      combine(rows, inputs, outputs, shardBytes);
    }
    int[] missingParity = dataOnly ? new int[0] : missing(present, dataCount, totalCount());
    if (missingParity.length > 0) {
      int[][] rows = new int[missingParity.length][];
      byte[][] outputs = new byte[missingParity.length][];
      for (int i = 0; i < missingParity.length; i++) {
        rows[i] = parityMatrix[missingParity[i] - dataCount];
        outputs[i] = shards[missingParity[i]];
      }
      combine(rows, Arrays.copyOfRange(shards, 0, dataCount), outputs, shardBytes);
    }
  }

  private void checkShards(byte[][] shards, int shardBytes) {
    requireNonNull(shards, "shards");
    if (shards.length != totalCount()) {
      throw new IllegalArgumentException(shards.length + " shards for a " + dataCount + "+"
          + parityCount + " code");
    }
    for (int i = 0; i < shards.length; i++) {
      if (shards[i] == null || shards[i].length < shardBytes) {
        throw new IllegalArgumentException("shard " + i + " is missing or shorter than "
            + shardBytes + " bytes");
      }
    }
  }

  private int[] firstPresent(boolean[] present) {
    int[] survivors = new int[dataCount];
    int found = 0;
    for (int i = 0; i < present.length && found < dataCount; i++) {
      if (present[i]) {
        survivors[found++] = i;
      }
    }
    if (found < dataCount) {
      throw new IllegalArgumentException("only " + found + " of the " + dataCount
          + " shards needed are present");
    }
    return survivors;
  }

  private static int[] missing(boolean[] present, int from, int to) {
    return java.util.stream.IntStream.range(from, to).filter(i -> !present[i]).toArray();
  }

  /** Returns the generator rows of the given shards: unit rows for data, parity rows after. */
  private int[][] generatorRows(int[] shardIndexes) {
    int[][] rows = new int[shardIndexes.length][];
    for (int i = 0; i < shardIndexes.length; i++) {
      int index = shardIndexes[i];
      if (index < dataCount) {
        rows[i] = new int[dataCount];
        rows[i][index] = 1;
      } else {
        rows[i] = parityMatrix[index - dataCount].clone();
      }
    }
    return rows;
  }

  /** Sets {@code outputs[r] = sum_j coefficients[r][j] · inputs[j]} over the first bytes. */
  private static void combine(int[][] coefficients, byte[][] inputs, byte[][] outputs,
      int shardBytes) {
    ShardKernels.combine(coefficients, inputs, outputs, shardBytes);
  }
}
