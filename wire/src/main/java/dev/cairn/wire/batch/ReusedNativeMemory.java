package dev.cairn.wire.batch;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.AllocationManager;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.unsafe.UnsafeAllocationManager;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Arrow's native memory, with freed blocks of 64 KiB to 64 MiB kept (up to {@link #IDLE_MAX}
 * bytes in all, JVM-wide) and handed out again instead of going back to the C library. Each
 * batch a reader decodes or a writer encodes takes megabytes of fresh memory; glibc returns
 * such blocks to the kernel on free, so every batch paid a page fault per 4 KiB page it wrote,
 * which on this project's machines made decoding one lineitem-like batch 10 times slower in
 * some JVMs than in others (docs/benchmarks.md). Reused memory holds old bytes, as memory from
 * malloc may: Arrow zeroes what must be zero itself.
 */
public final class ReusedNativeMemory implements AllocationManager.Factory {
  /** Most idle bytes kept for reuse; a block freed beyond it goes back to the C library. */
  static final long IDLE_MAX = 64L << 20;
  private static final int SMALLEST_CLASS = 16; // 64 KiB: below, malloc's own lists serve well
  private static final int LARGEST_CLASS = 26; // 64 MiB
  private static final ReusedNativeMemory SHARED = new ReusedNativeMemory();

  @SuppressWarnings("unchecked")
  private final ConcurrentLinkedDeque<Long>[] idle =
      new ConcurrentLinkedDeque[LARGEST_CLASS + 1];
  private final AtomicLong idleBytes = new AtomicLong();

  private ReusedNativeMemory() {
    for (int c = SMALLEST_CLASS; c <= LARGEST_CLASS; c++) {
      idle[c] = new ConcurrentLinkedDeque<>();
    }
  }

  /** Returns a new root allocator over the JVM-wide reused memory, without a limit. */
  public static RootAllocator newRootAllocator() {
    return new RootAllocator(RootAllocator.configBuilder().allocationManagerFactory(SHARED)
        .build());
  }

  /** Returns the bytes now kept idle for reuse (for tests and diagnostics). */
  public static long idleBytes() {
    return SHARED.idleBytes.get();
  }

  @Override
  public AllocationManager create(BufferAllocator accountingAllocator, long size) {
    int sizeClass = sizeClass(size);
    if (sizeClass < 0) {
      return new Block(accountingAllocator, MemoryUtil.allocateMemory(size), size, -1);
    }
    long classBytes = 1L << sizeClass;
    Long address = idle[sizeClass].pollFirst();
    if (address != null) {
      idleBytes.addAndGet(-classBytes);
      return new Block(accountingAllocator, address, size, sizeClass);
    }
    return new Block(accountingAllocator, MemoryUtil.allocateMemory(classBytes), size,
        sizeClass);
  }

  @Override
  public ArrowBuf empty() {
    return UnsafeAllocationManager.FACTORY.empty();
  }

  /** The power of two a block of {@code size} bytes is kept as, or -1 if it is not kept. */
  private static int sizeClass(long size) {
    if (size <= 0 || size > 1L << LARGEST_CLASS) {
      return -1;
    }
    int c = 64 - Long.numberOfLeadingZeros(size - 1);
    return c < SMALLEST_CLASS ? -1 : c;
  }

  private void free(long address, int sizeClass) {
    long classBytes = sizeClass >= 0 ? 1L << sizeClass : 0;
    if (sizeClass >= 0 && idleBytes.addAndGet(classBytes) <= IDLE_MAX) {
      idle[sizeClass].offerFirst(address);
      return;
    }
    idleBytes.addAndGet(-classBytes);
    MemoryUtil.freeMemory(address);
  }

  /**
   * One block: its own allocation, or a kept one of its size class (a power of two at least
   * the size asked for). Its size is the one asked for, which is what the allocator accounted:
   * Arrow releases {@link #getSize} from its accounting when the block is freed.
   */
  private final class Block extends AllocationManager {
    private final long address;
    private final long size;
    private final int sizeClass;

    Block(BufferAllocator accountingAllocator, long address, long size, int sizeClass) {
      super(accountingAllocator);
      this.address = address;
      this.size = size;
      this.sizeClass = sizeClass;
    }

    @Override
    public long getSize() {
      return size;
    }

    @Override
    protected long memoryAddress() {
      return address;
    }

    @Override
    protected void release0() {
      free(address, sizeClass);
    }
  }
}
