package dev.strata.framing;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds a byte in a chunk eight bytes at a time (SWAR) straight on its heap array, with no virtual
 * call per word; falls back to {@link ByteBuf#indexOf} for direct buffers.
 */
final class ByteScan {

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private ByteScan() {
  }

  /** The index (in {@code buf}'s terms) of the first {@code value} in [from, to), or -1. */
  static int indexOf(ByteBuf buf, int from, int to, byte value) {
    if (!buf.hasArray()) {
      return buf.indexOf(from, to, value);
    }
    int base = buf.arrayOffset();
    int at = indexOf(buf.array(), base + from, base + to, value);
    return at < 0 ? -1 : at - base;
  }

  static int indexOf(byte[] a, int from, int to, byte value) {
    long pattern = (value & 0xFFL) * ONES;
    int i = from;
    // 32 bytes per step while nothing is found: four independent words, one branch
    for (; i + 32 <= to; i += 32) {
      long x0 = (long) LONGS.get(a, i) ^ pattern;
      long x1 = (long) LONGS.get(a, i + 8) ^ pattern;
      long x2 = (long) LONGS.get(a, i + 16) ^ pattern;
      long x3 = (long) LONGS.get(a, i + 24) ^ pattern;
      if ((zeros(x0) | zeros(x1) | zeros(x2) | zeros(x3)) != 0) {
        break;
      }
    }
    for (; i + 8 <= to; i += 8) {
      long found = zeros((long) LONGS.get(a, i) ^ pattern);
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (a[i] == value) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The high bit of each zero byte of {@code x}. Exact for the lowest zero byte (which is all a
   * little-endian scan reads); a higher byte may be flagged falsely only above a real zero.
   */
  private static long zeros(long x) {
    return (x - ONES) & ~x & HIGHS;
  }
}
