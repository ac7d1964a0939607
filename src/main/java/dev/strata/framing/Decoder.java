package dev.strata.framing;

import io.vertx.core.buffer.Buffer;

/**
 * An incremental decoder: chunks of bytes in, whole frames out.
 *
 * <p>Contract (written once, here):
 * <ul>
 *   <li>{@link #decode} consumes the whole chunk. Every complete frame in it is passed to
 *       {@link FrameSink#frame} in order; the bytes of a partial frame are kept until the next chunk.
 *   <li>A decoder never holds more than its maximum frame size (plus the bytes of one header): a
 *       frame that would exceed it is reported through {@link FrameSink#error} with a
 *       {@link FrameTooLongException} as soon as that is known, before its body is buffered. A negative,
 *       overflowing or otherwise impossible length is a {@link CorruptFrameException}, never an
 *       allocation or a loop.
 *   <li>After an error the sink decides: resync (skip to the next frame boundary, when the codec can
 *       find one) or stop. A stopped decoder ignores all later input.
 *   <li>{@link #finish} marks the end of the stream: leftover bytes are a {@link TruncatedFrameException}.
 *   <li>Decoders are stateful and not thread-safe: one per connection, used on its event loop.
 * </ul>
 */
public interface Decoder<F> {

  void decode(Buffer chunk, FrameSink<F> sink);

  /** End of input: reports a partial frame, if any, as {@link TruncatedFrameException}. */
  default void finish(FrameSink<F> sink) {
    int left = buffered();
    if (left > 0) {
      sink.error(new TruncatedFrameException(left));
    }
  }

  /** Bytes held for a frame not yet complete. */
  int buffered();

  /**
   * Memory held for the frame not yet complete: {@link #buffered} unless the decoder allocates more
   * than it has received (a body buffer of the announced size). This is what counts against a node's
   * budget for partial frames.
   */
  default int held() {
    return buffered();
  }

  /** Whether an error stopped this decoder; it then ignores all input. */
  boolean stopped();
}
