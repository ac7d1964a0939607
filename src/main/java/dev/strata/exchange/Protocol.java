package dev.strata.exchange;

/**
 * How one codec's frames meet the event bus: the body a frame becomes, the frame a reply becomes, and
 * the protocol's form of an error. Bodies must survive clustering (String, Buffer, JSON, numbers).
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

  /** An error frame; {@code text} starts with an upper-case code, Redis style: "ERR no application at app.kv". */
  F error(String text);
}
