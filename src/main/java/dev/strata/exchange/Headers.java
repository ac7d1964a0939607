package dev.strata.exchange;

import io.vertx.core.eventbus.Message;

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
  /**
   * On a TLS connection whose client showed a certificate (mTLS): its subject, RFC 2253
   * ({@code CN=alice,O=Example}). Absent otherwise; the listener's {@code clientAuth: required} makes it
   * always present and verified against {@code trustedCas}.
   */
  public static final String PEER_SUBJECT = "strata.peer.subject";
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

  /**
   * Set on a request to a connector ({@code "true"}) to mark it idempotent: only such a request is sent
   * again (up to the connector's {@code retries}) when its connection is lost before the response.
   */
  public static final String IDEMPOTENT = "strata.idempotent";

  /**
   * Published on the node's local event bus when one of its listeners' connections closes; the body is
   * the connection's id (a Long, as {@link #connectionOf} gives it), with the headers {@link #CONNECTION},
   * {@link #LISTENER} and {@link #REMOTE}. For applications that keep state per connection (Redis's
   * CLIENT SETNAME): they drop it here.
   */
  public static final String CONNECTION_CLOSED = "strata.events.connection.gone";

  /**
   * Published cluster-wide, on a clustered node, when a connection closes whose requests crossed the
   * event bus (to an application on another member, or with {@code dispatch: event-bus}); the body and
   * headers of {@link #CONNECTION_CLOSED}. An application on another member that keeps state per
   * connection drops it here: the local event never reaches it. Ids are per member: match the id and
   * {@link #REMOTE}.
   */
  public static final String CONNECTION_CLOSED_CLUSTER = "strata.events.connection.gone.cluster";

  /** Prefix of a connection's push address: {@code strata.conn.<id>}. */
  public static final String PUSH_PREFIX = "strata.conn.";
  /** Prefix of platform events. */
  public static final String EVENTS_PREFIX = "strata.events.";

  private Headers() {
  }

  /**
   * The id of the connection a request came from ({@link #CONNECTION}), or -1 when it came from no
   * connection. Cheaper than reading the header on the fast path (no header map is made).
   */
  public static long connectionOf(Message<?> request) {
    if (request instanceof RequestMessage r) {
      return r.sourceConnection();
    }
    return parse(request.headers().get(CONNECTION));
  }

  static long parse(String id) {
    if (id == null) {
      return -1;
    }
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public static String pushAddress(long connectionId) {
    return PUSH_PREFIX + connectionId;
  }
}
