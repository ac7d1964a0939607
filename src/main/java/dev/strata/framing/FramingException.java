package dev.strata.framing;

/** Base of the framing errors. The message is fit to show to the peer or write in a log. */
public abstract class FramingException extends RuntimeException {

  protected FramingException(String message) {
    super(message, null, false, false);
  }

  /** A short, stable kind for metrics and logs: {@code too_long}, {@code corrupt}, {@code truncated}. */
  public abstract String kind();

  /** Whether the decoder can skip to the next frame boundary after this error. */
  public boolean resyncable() {
    return false;
  }
}
