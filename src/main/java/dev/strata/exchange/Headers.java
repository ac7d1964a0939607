package dev.strata.exchange;

/** Names shared by the platform and applications: message headers and reserved addresses. */
public final class Headers {

  /** Id of the connection a request came from; also the suffix of its push address. */
  public static final String CONNECTION = "strata.conn";
  /** Name of the listener that accepted the connection. */
  public static final String LISTENER = "strata.listener";
  /** The request's sequence number on its connection, from 0. */
  public static final String SEQ = "strata.seq";
  /** The client's address, host:port. */
  public static final String REMOTE = "strata.remote";
  /** On a multiplexed connection: the request's tag, as text. */
  public static final String TAG = "strata.tag";

  /**
   * Set on a reply ({@code new DeliveryOptions().addHeader(Headers.CLOSE, "true")}) to close the
   * connection once that reply is written, as Redis's QUIT does.
   */
  public static final String CLOSE = "strata.close";

  /**
   * Set on a reply to switch the connection to another version of its protocol from that reply on,
   * e.g. {@code "3"} on the reply to Redis's {@code HELLO 3}: RESP3 replies and out-of-band push frames.
   */
  public static final String PROTOCOL = "strata.protocol";

  /** Prefix of a connection's push address: {@code strata.conn.<id>}. */
  public static final String PUSH_PREFIX = "strata.conn.";
  /** Prefix of platform events. */
  public static final String EVENTS_PREFIX = "strata.events.";

  private Headers() {
  }

  public static String pushAddress(long connectionId) {
    return PUSH_PREFIX + connectionId;
  }
}
