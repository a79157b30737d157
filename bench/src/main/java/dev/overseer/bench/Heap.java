package dev.overseer.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Used heap after full collections, for the per-child memory cost. */
final class Heap {

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private Heap() {
  }

  /** @return used heap in bytes after the collector has settled */
  static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    // Several rounds: finalizers and reference processing free more on the second pass.
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** @return used heap now, without collecting */
  static long used() {
    return MEMORY.getHeapMemoryUsage().getUsed();
  }

  /** @return the heap limit */
  static long max() {
    return MEMORY.getHeapMemoryUsage().getMax();
  }

  /** @return the resident set size of this process in bytes (VmRSS), or -1 where /proc is absent */
  static long rss() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
