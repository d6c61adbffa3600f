package dev.cairn.wire.batch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.AllocationManager;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.unsafe.UnsafeAllocationManager;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Native memory for Arrow buffers that keeps freed blocks of at least {@link #POOLED_BYTES_MIN}
 * for the next batch instead of handing them back to the system: a writer's input (each
 * batch's parsed columns, canonical copy and compressed buffers) and a reader's runtime (each
 * decoded batch) allocate the same few sizes over and over (Arrow rounds requests up to powers
 * of two), and memory fresh from the system costs a page fault and the kernel's zeroing per
 * 4 KiB: about a fifth of the encode worker's CPU (docs/benchmarks.md, "Where the rest of a
 * publish's CPU goes"), and 45 instead of 4.4 ms of CPU to decode one lineitem-like batch in
 * the JVMs where glibc gave such blocks back to the kernel ("Cold TPC-H at SF 1 after the
 * decoding fixes"). A block comes back exactly as
 * a fresh one would, uninitialised, and Arrow zeroes what it needs zeroed either way, so the
 * encoded bytes do not depend on where a block came from.
 *
 * <p>Bounded: at most {@code idleBytesMax} of free blocks are kept, the rest are freed at once;
 * {@link #close} frees every kept block, and blocks released after it are freed too.
 */
public final class RecyclingMemory implements AllocationManager.Factory, AutoCloseable {
  /** Smaller blocks go straight to the system's allocator, which recycles them well itself. */
  public static final long POOLED_BYTES_MIN = 64 * 1024;

  private final long idleBytesMax;
  /** Free blocks by size: their addresses. */
  private final Map<Long, ArrayDeque<Long>> idle = new HashMap<>();
  private long idleBytes;
  private boolean closed;

  /** A pool that keeps at most {@code idleBytesMax} bytes of free blocks. */
  public RecyclingMemory(long idleBytesMax) {
    this.idleBytesMax = idleBytesMax;
  }

  /**
   * Returns a root allocator, without a limit, over this memory, which owns it: closing the
   * allocator frees the kept blocks too, so an owner holds and closes only the allocator.
   */
  public RootAllocator newRootAllocator() {
    return new OwningAllocator(this);
  }

  /** A root allocator that closes its {@link RecyclingMemory} after itself. */
  private static final class OwningAllocator extends RootAllocator {
    private final RecyclingMemory memory;

    OwningAllocator(RecyclingMemory memory) {
      super(RootAllocator.configBuilder().allocationManagerFactory(memory).build());
      this.memory = memory;
    }

    @Override
    public void close() {
      try {
        super.close();
      } finally {
        memory.close();
      }
    }
  }

  @Override
  public AllocationManager create(BufferAllocator accountingAllocator, long size) {
    return new Block(accountingAllocator, size, take(size));
  }

  @Override
  public ArrowBuf empty() {
    return UnsafeAllocationManager.FACTORY.empty();
  }

  /** Returns the bytes of free blocks kept now. */
  public synchronized long idleBytes() {
    return idleBytes;
  }

  /** Frees every kept block; blocks released from now on are freed at once. */
  @Override
  public void close() {
    List<Long> addresses = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(addresses::addAll);
      idle.clear();
      idleBytes = 0;
    }
    addresses.forEach(MemoryUtil::freeMemory);
  }

  private long take(long size) {
    if (size >= POOLED_BYTES_MIN) {
      synchronized (this) {
        ArrayDeque<Long> free = idle.get(size);
        if (free != null && !free.isEmpty()) {
          idleBytes -= size;
          return free.pop();
        }
      }
    }
    return MemoryUtil.allocateMemory(size);
  }

  private void give(long address, long size) {
    if (size >= POOLED_BYTES_MIN) {
      synchronized (this) {
        if (!closed && idleBytes + size <= idleBytesMax) {
          idle.computeIfAbsent(size, s -> new ArrayDeque<>()).push(address);
          idleBytes += size;
          return;
        }
      }
    }
    MemoryUtil.freeMemory(address);
  }

  /** One block of native memory, given back to the pool when Arrow releases it. */
  private final class Block extends AllocationManager {
    private final long size;
    private final long address;

    Block(BufferAllocator accountingAllocator, long size, long address) {
      super(accountingAllocator);
      this.size = size;
      this.address = address;
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
      give(address, size);
    }
  }
}
