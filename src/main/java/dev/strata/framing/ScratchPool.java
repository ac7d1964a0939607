package dev.strata.framing;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;

/**
 * Scratch buffers for frames assembled for a {@link RegionSink}, shared by the decoders of one thread
 * (an event loop). A decoder takes one when a frame spans reads and gives it back when a read ends
 * between frames, so that neither a busy connection nor an idle one allocates for it, and an idle one
 * holds none. Plain heap buffers, not Netty's pool: a decoder dropped mid-frame leaves its buffer to
 * the garbage collector, never a leak. At most {@link #KEEP} buffers of up to {@link #MAX_KEPT} bytes
 * stay per thread.
 */
final class ScratchPool {

  static final int KEEP = 8;
  static final int MAX_KEPT = 64 * 1024;
  private static final int MIN_CAPACITY = 512;

  private static final ThreadLocal<ArrayDeque<Buffer>> FREE = ThreadLocal.withInitial(() -> new ArrayDeque<>(KEEP));

  private ScratchPool() {
  }

  /** An empty scratch buffer; it grows as written. */
  static Buffer take(int expectedBytes) {
    Buffer b = FREE.get().pollLast();
    return b != null ? b : Chunks.frame(Chunks.partial(Math.max(MIN_CAPACITY, expectedBytes)));
  }

  static void give(Buffer scratch) {
    ByteBuf bytes = Chunks.bytes(scratch);
    bytes.clear();
    ArrayDeque<Buffer> free = FREE.get();
    if (bytes.capacity() <= MAX_KEPT && free.size() < KEEP) {
      free.addLast(scratch);
    }
  }
}
