package dev.strata.framing;

/**
 * What a {@link FramedStream} delivers to: the frames of each read (through {@link #sink()}), the end of
 * each read, and the end of input.
 */
public interface FrameReceiver<F> extends FrameSink<F> {

  /** Where the decoder delivers: this, or a {@link RegionSink} view of it for byte frames taken in place. */
  default FrameSink<F> sink() {
    return this;
  }

  /** Every frame of one read was delivered; whatever is written now leaves with the read's flush. */
  default void readComplete() {
  }

  /** The peer sent its last byte (TCP half-close): it may still read what it is owed. */
  default void inputEnded() {
  }
}
