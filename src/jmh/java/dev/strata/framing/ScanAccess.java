package dev.strata.framing;

import io.netty.buffer.ByteBuf;

/** Lets the benchmarks call the package-private scan. */
public final class ScanAccess {

  private ScanAccess() {
  }

  public static int indexOf(ByteBuf buf, int from, int to, byte value) {
    return ByteScan.indexOf(buf, from, to, value);
  }
}
