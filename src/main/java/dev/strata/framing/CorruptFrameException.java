package dev.strata.framing;

/** Bytes that cannot be a frame: a negative or impossible length, a bad type byte, bad syntax. */
public final class CorruptFrameException extends FramingException {

  private final boolean resyncable;

  public CorruptFrameException(String message) {
    this(message, false);
  }

  public CorruptFrameException(String message, boolean resyncable) {
    super("corrupt frame: " + message);
    this.resyncable = resyncable;
  }

  @Override
  public String kind() {
    return "corrupt";
  }

  @Override
  public boolean resyncable() {
    return resyncable;
  }
}
