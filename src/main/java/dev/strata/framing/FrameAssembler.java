package dev.strata.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;

/**
 * The bytes of one frame that spans chunks. Small pieces are copied into a heap buffer; pieces of at
 * least {@link #MIN_REFERENCED} bytes are referenced, not copied (chunks are unpooled heap copies that
 * nobody writes again), and the frame becomes a composite of them. A large frame thus costs no copy
 * and no allocation of its size, and its component count stays under size / MIN_REFERENCED + 2, so
 * hostile one-byte chunks cannot blow up its bookkeeping. A whole chunk is referenced as it is: its
 * indexes are recorded by the composite when added, so nothing later done to them moves the frame.
 *
 * <p>For a {@link RegionSink} a frame is instead copied into a scratch buffer from the thread's
 * {@link ScratchPool}, reused frame after frame, so that frames spanning chunks allocate nothing
 * either. The mode is chosen by the sink at a frame's first bytes; either mode can still deliver to
 * either kind of sink. {@link #idle} gives the scratch buffer back when a read ends between frames.
 */
final class FrameAssembler {

  static final int MIN_REFERENCED = 1024;

  private final int max;
  private ByteBuf staging;
  private CompositeByteBuf composite;
  private int size;
  private int hint;
  private byte last;
  /** Whether the frame being assembled is in {@link #scratch}. */
  private boolean inScratch;
  private Buffer scratch;
  private ByteBuf scratchBytes;

  /** @param max the most bytes one frame may hold here */
  FrameAssembler(int max) {
    this.max = max;
  }

  /** The frame's size when known in advance (a length field): small frames get an exact buffer. */
  void expect(int frameBytes) {
    this.hint = frameBytes;
  }

  int size() {
    return size;
  }

  /** The last byte added; only when {@link #size()} > 0. */
  byte last() {
    return last;
  }

  void add(ByteBuf chunk, int from, int len, FrameSink<Buffer> sink) {
    if (len == 0) {
      return;
    }
    last = chunk.getByte(from + len - 1);
    if (size == 0) {
      inScratch = sink instanceof RegionSink;
    }
    size += len;
    if (inScratch) {
      if (scratch == null) {
        scratch = ScratchPool.take(hint > 0 ? hint : len);
        scratchBytes = Chunks.bytes(scratch);
      }
      scratchBytes.writeBytes(chunk, from, len);
      return;
    }
    if (len >= MIN_REFERENCED) {
      if (composite == null) {
        composite = new CompositeByteBuf(UnpooledByteBufAllocator.DEFAULT, false, Integer.MAX_VALUE);
      }
      flushStaging();
      boolean whole = from == chunk.readerIndex() && len == chunk.readableBytes();
      composite.addComponent(true, whole ? chunk : chunk.slice(from, len));
      return;
    }
    if (staging == null) {
      staging = hint > 0 && hint < 4 * MIN_REFERENCED ? Chunks.partial(hint) : Chunks.growable(len, max);
    }
    staging.writeBytes(chunk, from, len);
  }

  private void flushStaging() {
    if (staging != null && staging.isReadable()) {
      composite.addComponent(true, staging);
      staging = null;
    }
  }

  /** Delivers the frame of the first {@code length} bytes added (dropping a trailing delimiter); resets. */
  void deliver(int length, FrameSink<Buffer> sink) {
    if (!inScratch) {
      Buffer frame = build(length);
      if (sink instanceof RegionSink regions) {
        regions.frame(frame, 0, length);
      } else {
        sink.frame(frame);
      }
      return;
    }
    inScratch = false;
    size = 0;
    hint = 0;
    try {
      if (sink instanceof RegionSink regions) {
        regions.frame(scratch, 0, length);
      } else {
        sink.frame(Chunks.frame(Chunks.partial(length).writeBytes(scratchBytes, 0, length)));
      }
    } finally {
      scratchBytes.clear();
    }
  }

  /** The frame of the first {@code length} bytes added, as a buffer (referencing the chunks); resets. */
  Buffer take(int length) {
    return build(length);
  }

  /** Called when a read ends: between frames, the scratch buffer goes back, so an idle connection holds none. */
  void idle() {
    if (size == 0 && scratch != null) {
      ScratchPool.give(scratch);
      scratch = null;
      scratchBytes = null;
    }
  }

  private Buffer build(int length) {
    ByteBuf frame;
    if (composite != null) {
      flushStaging();
      frame = composite;
    } else {
      frame = staging == null ? Chunks.partial(0) : staging;
    }
    frame.writerIndex(frame.readerIndex() + length);
    clear();
    return Chunks.frame(frame);
  }

  void clear() {
    if (inScratch) {
      scratchBytes.clear();
      inScratch = false;
    }
    staging = null;
    composite = null;
    size = 0;
    hint = 0;
  }
}
