package dev.strata.framing;

/** The stream ended inside a frame. */
public final class TruncatedFrameException extends FramingException {

  public TruncatedFrameException(int bufferedBytes) {
    super("truncated frame: stream ended with " + bufferedBytes + " bytes of an incomplete frame");
  }

  @Override
  public String kind() {
    return "truncated";
  }
}
