package dev.strata.framing;

/**
 * Where a {@link Decoder} delivers what it finds: whole frames, and framing errors.
 *
 * <p>The return value of {@link #error} is the error policy: {@code true} asks the decoder to skip to
 * the next frame boundary and go on (only when {@link FramingException#resyncable()}), {@code false}
 * stops it for good, so that no byte after a corrupt frame is ever read as a frame.
 */
public interface FrameSink<F> {

  void frame(F frame);

  /** Called once per bad frame. Default: stop decoding (the {@code close} policy). */
  default boolean error(FramingException error) {
    return false;
  }
}
