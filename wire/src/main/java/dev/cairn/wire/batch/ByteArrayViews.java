package dev.cairn.wire.batch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A byte array read as ints and longs at any offset, bounds-checked, for the loops that go
 * four or eight bytes a step (LZ4, xxHash32, UTF-8 and CSV scans, string bounds). A {@code
 * static final} handle is a constant to the JIT, so each read compiles to one load.
 */
public final class ByteArrayViews {
  /** Four bytes as a little-endian int: {@code (int) INT_LE.get(bytes, offset)}. */
  public static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  /** Eight bytes as a little-endian long. */
  public static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /** Eight bytes as a big-endian long: compared unsigned, they order as the bytes do. */
  public static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private ByteArrayViews() {
  }
}
