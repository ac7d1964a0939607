package dev.strata.framing;

/**
 * A codec: a name, a factory of per-connection decoders, and a shared encoder.
 *
 * @param <F> the frame type, e.g. {@code Buffer} for lines
 */
public interface FrameCodec<F> {

  /** The name used in configuration, e.g. {@code lines}. */
  String name();

  /** A fresh decoder; one per connection or stream. */
  Decoder<F> newDecoder();

  Encoder<F> encoder();

  /** The largest frame the decoder accepts, in bytes. */
  int maxFrameBytes();

  /** Where frames carry a tag for multiplexed correlation, or null when they carry none. */
  default Tagging<F> tagging() {
    return null;
  }
}
