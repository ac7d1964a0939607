package dev.strata.framing;

/** The stream (or, over datagrams, the datagram) ended inside a frame. */
public final class TruncatedFrameException extends FramingException {

  public TruncatedFrameException(int bufferedBytes) {
    super("truncated frame: stream ended with " + bufferedBytes + " bytes of an incomplete frame");
  }

  private TruncatedFrameException(String message) {
    super(message);
  }

  /** A datagram ended inside a frame: frames never span datagrams. */
  static TruncatedFrameException inDatagram(int bufferedBytes) {
    return new TruncatedFrameException("truncated frame: the datagram ended " + bufferedBytes
        + " bytes into a frame (frames never span datagrams)");
  }

  @Override
  public String kind() {
    return "truncated";
  }
}
