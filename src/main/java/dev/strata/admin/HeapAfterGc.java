package dev.strata.admin;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * The heap still in use after the last garbage collection of each heap pool: what the program really
 * holds, unlike the current usage, which includes garbage not yet collected. Near the maximum, the
 * next allocations end in OutOfMemoryError (or in back-to-back full collections first).
 */
final class HeapAfterGc {

  private HeapAfterGc() {
  }

  /** Bytes in use after the last collection, over every heap pool (0 before the first collection). */
  static long used() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      if (after != null) {
        used += after.getUsed();
      }
    }
    return used;
  }

  /** The most the heap may grow to ({@code -Xmx}). */
  static long max() {
    return Runtime.getRuntime().maxMemory();
  }
}
