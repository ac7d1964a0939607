package dev.strata.framing;

/** A frame over the maximum size, refused before its bytes were buffered. */
public final class FrameTooLongException extends FramingException {

  private final boolean resyncable;

  public FrameTooLongException(long size, int max, boolean resyncable) {
    super(size < 0
        ? "frame too long: more than " + max + " bytes"
        : "frame too long: " + size + " bytes > max " + max);
    this.resyncable = resyncable;
  }

  /** A refusal whose message names what was measured (a bulk string, a line) and the key that limits it. */
  public FrameTooLongException(String message, boolean resyncable) {
    super(message);
    this.resyncable = resyncable;
  }

  @Override
  public String kind() {
    return "too_long";
  }

  @Override
  public boolean resyncable() {
    return resyncable;
  }
}
