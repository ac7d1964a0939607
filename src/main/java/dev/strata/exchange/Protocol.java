package dev.strata.exchange;

/**
 * How one codec's frames meet the event bus, in both directions. Inbound (a listener): the body a
 * request frame becomes, the frame a reply becomes, the protocol's form of an error. Outbound (a
 * connector): the frame a request body becomes, and the reply body (or failure) a response frame
 * becomes; by default the same mappings the other way round. Bodies must survive clustering (String,
 * Buffer, JSON, numbers, {@link ValueList}).
 */
public interface Protocol<F> {

  /** The event-bus body for an inbound frame. */
  Object toBody(F frame);

  /**
   * The frame for a reply body.
   *
   * @throws IllegalArgumentException when the body has a type this protocol cannot write
   */
  F toFrame(Object body);

  /** The frame for a reply body on a connection at protocol {@code version} (0: the default version). */
  default F toFrame(Object body, int version) {
    return toFrame(body);
  }

  /** An error frame; {@code text} starts with an upper-case code, Redis style: "ERR no application at app.kv". */
  F error(String text);

  /**
   * A push ({@code strata.conn.<id>}) to write at once, between whole replies, or null to queue it
   * behind the replies the connection owes (the default: a client reading replies in order is never
   * confused). RESP3 has a frame type for pushes; text lines do not.
   */
  default F outOfBandPush(Object body, int version) {
    return null;
  }

  /**
   * Outbound: the frame that carries a request body to a remote service.
   *
   * @throws IllegalArgumentException when the body has a type this protocol cannot send
   */
  default F requestFrame(Object body) {
    return toFrame(body);
  }

  /**
   * Outbound: the reply body for a response frame, or a {@code ReplyException} when the frame is the
   * protocol's error (a RESP error, a JSON {@code {"error": ...}}), so that callers get a failure.
   */
  default Object responseBody(F frame) {
    return toBody(frame);
  }
}
