package dev.cairn.wire.erasure;

/**
 * The matrices of the code: the m × k parity matrix of a systematic code (its generator is the
 * k × k identity stacked on it) and the inversion of a square matrix over GF(2^8), which
 * decoding uses to turn any k surviving rows of the generator back into the data.
 *
 * <p>The parity matrix is a Cauchy matrix, {@code C[i][j] = 1 / (x_i + y_j)} with {@code x_i =
 * k + i} and {@code y_j = j}, then scaled so that its first row and first column are all ones:
 * every column divided by its entry in row 0, then every row divided by its entry in column 0.
 * Every square submatrix of a Cauchy matrix is invertible, and scaling rows and columns by
 * non-zero constants keeps it so; hence any k rows of the generator are invertible, which is
 * what makes the code MDS (any k shards rebuild the data). The row of ones makes parity shard 0
 * the plain XOR of the data shards, the cheapest parity to compute.
 */
final class CodingMatrix {
  private CodingMatrix() {}

  /** Returns the m × k parity matrix for k data and m parity shards; k + m ≤ 256. */
  static int[][] parity(int dataCount, int parityCount) {
    int[][] matrix = new int[parityCount][dataCount];
    for (int row = 0; row < parityCount; row++) {
      for (int column = 0; column < dataCount; column++) {
        matrix[row][column] = Galois.inverse((dataCount + row) ^ column);
      }
    }
    for (int column = 0; column < dataCount; column++) {
      int scale = matrix[0][column];
      for (int row = 0; row < parityCount; row++) {
        matrix[row][column] = Galois.divide(matrix[row][column], scale);
      }
    }
    for (int row = 1; row < parityCount; row++) {
      int scale = matrix[row][0];
      for (int column = 0; column < dataCount; column++) {
        matrix[row][column] = Galois.divide(matrix[row][column], scale);
      }
    }
    return matrix;
  }

  /**
   * Returns the inverse of the square matrix {@code matrix} (left unchanged) by Gauss-Jordan
   * elimination; IllegalArgumentException if it is singular, which for rows of a generator
   * built by {@link #parity} would be a bug.
   */
  static int[][] invert(int[][] matrix) {
    int size = matrix.length;
    int[][] work = new int[size][2 * size];
    for (int row = 0; row < size; row++) {
      System.arraycopy(matrix[row], 0, work[row], 0, size);
      work[row][size + row] = 1;
    }
    for (int pivot = 0; pivot < size; pivot++) {
      swapInNonZeroPivot(work, pivot);
      int scale = Galois.inverse(work[pivot][pivot]);
      for (int column = 0; column < 2 * size; column++) {
        work[pivot][column] = Galois.multiply(work[pivot][column], scale);
      }
      for (int row = 0; row < size; row++) {
        int factor = work[row][pivot];
        if (row == pivot || factor == 0) {
          continue;
        }
        for (int column = 0; column < 2 * size; column++) {
          work[row][column] ^= Galois.multiply(factor, work[pivot][column]);
        }
      }
    }
    int[][] inverse = new int[size][size];
    for (int row = 0; row < size; row++) {
      System.arraycopy(work[row], size, inverse[row], 0, size);
    }
    return inverse;
  }

  private static void swapInNonZeroPivot(int[][] work, int pivot) {
    for (int row = pivot; row < work.length; row++) {
      if (work[row][pivot] != 0) {
        int[] swap = work[pivot];
        work[pivot] = work[row];
        work[row] = swap;
        return;
      }
    }
    throw new IllegalArgumentException("singular matrix: no pivot in column " + pivot);
  }
}
