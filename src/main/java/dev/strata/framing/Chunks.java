package dev.strata.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.impl.buffer.VertxByteBufAllocator;
import io.vertx.core.internal.buffer.BufferInternal;

/** What every decoder does with chunks: reach the bytes, slice or copy frames, apply the error policy. */
final class Chunks {

  /** The largest initial capacity given to a partial frame; it grows (up to the frame's size) as bytes come. */
  private static final int INITIAL_CAP = 64 * 1024;

  private Chunks() {
  }

  /**
   * The chunk's bytes, no copy. {@code getByteBuf()} makes a slice per call (40 B per chunk); the
   * decoders only read the chunk, so they take Vert.x's own buffer as it is when they can. Its indexes
   * are the Buffer's, so a region of it is a region of the chunk.
   */
  static ByteBuf bytes(Buffer chunk) {
    return chunk instanceof BufferImpl impl ? impl.byteBuf() : ((BufferInternal) chunk).getByteBuf();
  }

  /**
   * A buffer for a partial frame of {@code size} bytes, grown on demand. Its maximum capacity is not
   * bounded (the decoder counts), so the frame it becomes can be appended to like any Vert.x buffer.
   */
  static ByteBuf partial(int size) {
    return VertxByteBufAllocator.DEFAULT.heapBuffer(Math.min(size, INITIAL_CAP), Integer.MAX_VALUE);
  }

  /** A buffer for a partial frame of unknown size, at most {@code max} bytes (the decoder counts). */
  static ByteBuf growable(int firstBytes, int max) {
    return VertxByteBufAllocator.DEFAULT.heapBuffer(Math.min(Math.max(64, firstBytes * 2), max), Integer.MAX_VALUE);
  }

  static Buffer frame(ByteBuf bytes) {
    return BufferInternal.buffer(bytes);
  }

  /**
   * Delivers the frame {@code b[from, from + len)}: as that region of {@code view} (the Buffer over
   * {@code b}) to a {@link RegionSink}, as a slice to any other sink. Small, to be inlined in loops.
   */
  static void emit(FrameSink<Buffer> sink, Buffer view, ByteBuf b, int from, int len) {
    if (sink instanceof RegionSink regions) {
      regions.frame(view, from, len);
    } else {
      sink.frame(slice(b, from, len));
    }
  }

  static Buffer slice(ByteBuf b, int from, int len) {
    return len == 0 ? empty() : frame(b.slice(from, len));
  }

  static Buffer empty() {
    return BufferInternal.buffer(Unpooled.EMPTY_BUFFER);
  }

  /**
   * Reports an error and applies the sink's policy: true when the decoder must resync (the sink asked
   * for it and the error allows it), false when it must stop.
   */
  static boolean resync(FrameSink<?> sink, FramingException error) {
    return sink.error(error) && error.resyncable();
  }
}
