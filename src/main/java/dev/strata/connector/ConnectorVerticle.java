package dev.strata.connector;

import dev.strata.connector.Connector.Outcome;
import dev.strata.exchange.Client;
import dev.strata.exchange.Endpoint;
import dev.strata.exchange.ExchangeException;
import dev.strata.exchange.Headers;
import dev.strata.exchange.Protocol;
import dev.strata.exchange.Protocols;
import dev.strata.framing.Codecs;
import dev.strata.framing.FrameCodec;
import dev.strata.framing.RespCodec;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One instance of a connector, on one event loop: its share of the pool's connections, and the
 * connector's address served through {@link Endpoint} (so a caller on this event loop reaches it in
 * place, and any verticle, member or bridge client through the event bus).
 *
 * <p>A request body is mapped to a frame by the codec's {@link Protocol} (a RESP connector takes what
 * the kv application receives: a list of arguments, or a command line), sent on the open connection
 * with the fewest requests in flight, and its response mapped back (RESP: String, Buffer, Long, null,
 * ValueList; an error reply becomes a failure with its text). Every request gets exactly one answer:
 * the response, or a failure naming the address and the reason: {@code timeout}, {@code connection
 * lost}, {@code no open connection}, {@code circuit open}. Only a request marked
 * {@link Headers#IDEMPOTENT} is sent again, and only after a lost connection, up to {@code retries}.
 */
public final class ConnectorVerticle extends VerticleBase {

  private final ConnectorOptions options;
  private final Connectors registry;
  private final int connections;
  private final int firstHost;
  private final List<Link> links = new ArrayList<>();
  /** Idempotent requests to send again once one of this instance's connections is back. */
  private final ArrayDeque<Waiter> awaitingConnection = new ArrayDeque<>();
  private Connector connector;
  private Protocol<Object> protocol;
  private NetClient net;

  /**
   * @param connections how many of the pool's connections this instance holds
   * @param firstHost   index of the host its first connection goes to (instances spread over hosts)
   */
  public ConnectorVerticle(ConnectorOptions options, Connectors registry, int connections, int firstHost) {
    this.options = options;
    this.registry = registry;
    this.connections = connections;
    this.firstHost = firstHost;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Future<?> start() {
    connector = registry.open(vertx, options);
    FrameCodec<Object> codec = (FrameCodec<Object>) Codecs.create(options.codec(), options.maxFrameBytes(),
        responseCodecOptions(options));
    protocol = Protocols.forCodec(codec.name());
    net = vertx.createNetClient(tls(new NetClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMs()))
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true), options.tls()));
    List<Future<Void>> first = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      String[] hp = ConnectorOptions.hostAndPort(options.hosts().get((firstHost + i) % options.hosts().size()));
      Link link = new Link(connector, vertx, net, codec, hp[0], Integer.parseInt(hp[1]), this::connected);
      links.add(link);
      connector.add(link);
      first.add(link.connect());
    }
    // a remote that is down at start does not stop the node: requests fail until it is back
    return Future.join(first).transform(v -> Endpoint.serve(vertx, options.address(), this::handle));
  }

  /**
   * The codec options for reading responses. RESP: no inline commands unless asked for, since a reply
   * always starts with a type byte; a line without one (a server that is not Redis) is garbage that
   * closes the connection, where the listeners' default would have made it a reply to the request.
   */
  static Map<String, Object> responseCodecOptions(ConnectorOptions options) {
    if (!RespCodec.NAME.equals(options.codec()) || options.codecOptions().containsKey("inline")) {
      return options.codecOptions();
    }
    Map<String, Object> o = new HashMap<>(options.codecOptions());
    o.put("inline", false);
    return o;
  }

  /** TLS on the client options: Vert.x takes them there, not as a {@code ClientSSLOptions}, at creation. */
  static NetClientOptions tls(NetClientOptions o, ClientSSLOptions tls) {
    if (tls == null) {
      return o;
    }
    o.setSsl(true)
        .setTrustAll(tls.isTrustAll())
        .setHostnameVerificationAlgorithm(tls.getHostnameVerificationAlgorithm())
        .setEnabledSecureTransportProtocols(tls.getEnabledSecureTransportProtocols())
        .setSslHandshakeTimeout(tls.getSslHandshakeTimeout())
        .setSslHandshakeTimeoutUnit(tls.getSslHandshakeTimeoutUnit());
    if (tls.getKeyCertOptions() != null) {
      o.setKeyCertOptions(tls.getKeyCertOptions());
    }
    if (tls.getTrustOptions() != null) {
      o.setTrustOptions(tls.getTrustOptions());
    }
    tls.getEnabledCipherSuites().forEach(o::addEnabledCipherSuite);
    return o;
  }

  @Override
  public Future<?> stop() {
    Waiter w;
    while ((w = awaitingConnection.poll()) != null) { // stopping: no connection will come back
      vertx.cancelTimer(w.timer);
      w.fail.run();
    }
    List<Future<Void>> closing = new ArrayList<>();
    for (Link l : links) {
      connector.remove(l);
      closing.add(l.close());
    }
    registry.closed(connector);
    return Future.join(closing).eventually(() -> net.close());
  }

  private void handle(Message<Object> m) {
    long started = System.nanoTime();
    Object frame;
    try {
      frame = protocol.requestFrame(m.body());
    } catch (RuntimeException e) {
      connector.answered(Outcome.BAD_REQUEST, 0);
      m.fail(400, "ERR " + options.address() + ": bad request: " + e.getMessage());
      return;
    }
    int retries = options.retries() > 0 && "true".equalsIgnoreCase(m.headers().get(Headers.IDEMPOTENT))
        ? options.retries() : 0;
    attempt(m, frame, retries, started, Headers.connectionOf(m));
  }

  private void attempt(Message<Object> m, Object frame, int retriesLeft, long started, long source) {
    connector.breaker().<Object>execute(() -> {
      Client<Object, Object> c = pick(source);
      return c != null ? c.request(frame) : Future.failedFuture(new ExchangeException.Unavailable(noConnection()));
    }).onComplete(ar -> {
      long nanos = System.nanoTime() - started;
      if (ar.succeeded()) {
        Object body;
        try {
          body = protocol.responseBody(ar.result());
        } catch (RuntimeException e) {
          body = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 502, "ERR " + options.address()
              + ": unreadable response: " + e.getMessage());
        }
        connector.answered(body instanceof ReplyException ? Outcome.ERROR_REPLY : Outcome.OK, nanos);
        m.reply(body);
        return;
      }
      Throwable t = ar.cause();
      if (t instanceof ExchangeException.ConnectionLost && retriesLeft > 0) {
        retry(m, frame, retriesLeft - 1, started, source, t);
        return;
      }
      fail(m, t, nanos);
    });
  }

  /**
   * Sends an idempotent request again after its connection was lost. The connection that dropped is
   * usually the one it would take again, and it is reconnecting: the request waits for an open
   * connection (sending at once found none, and failed with "no open connection" instead of being
   * retried), but no longer than its own timeout, counted from when it first came.
   */
  private void retry(Message<Object> m, Object frame, int retriesLeft, long started, long source, Throwable lost) {
    connector.retried();
    if (pick(source) != null) {
      attempt(m, frame, retriesLeft, started, source);
      return;
    }
    long leftMs = options.client().requestTimeoutMs() - (System.nanoTime() - started) / 1_000_000;
    if (leftMs <= 0) {
      fail(m, lost, System.nanoTime() - started);
      return;
    }
    Waiter w = new Waiter(() -> attempt(m, frame, retriesLeft, started, source),
        () -> fail(m, lost, System.nanoTime() - started));
    w.timer = vertx.setTimer(leftMs, id -> {
      if (awaitingConnection.remove(w)) {
        w.fail.run();
      }
    });
    awaitingConnection.add(w);
  }

  /** A request waiting for a connection to be sent again, and its way out at its deadline. */
  private static final class Waiter {
    final Runnable send;
    final Runnable fail;
    long timer;

    Waiter(Runnable send, Runnable fail) {
      this.send = send;
      this.fail = fail;
    }
  }

  /** One of this instance's connections opened: requests waiting to be sent again go now. */
  private void connected() {
    Waiter w;
    while ((w = awaitingConnection.poll()) != null) {
      vertx.cancelTimer(w.timer);
      w.send.run();
    }
  }

  /** Answers a request that got no response, with the reason. */
  private void fail(Message<Object> m, Throwable t, long nanos) {
    Outcome outcome;
    int code;
    String text;
    if (t instanceof OpenCircuitException) {
      outcome = Outcome.CIRCUIT_OPEN;
      code = 503;
      text = "circuit open after " + options.breakerFailures() + " failures; trying again within "
          + options.breakerResetMs() + " ms";
    } else if (t instanceof ExchangeException e) {
      outcome = e instanceof ExchangeException.Timeout ? Outcome.TIMEOUT
          : e instanceof ExchangeException.ConnectionLost ? Outcome.CONNECTION_LOST : Outcome.UNAVAILABLE;
      code = e.code();
      text = e.getMessage();
    } else {
      outcome = Outcome.UNAVAILABLE;
      code = 500;
      text = String.valueOf(t.getMessage());
    }
    connector.answered(outcome, nanos);
    m.fail(code, "ERR " + options.address() + ": " + text);
  }

  /**
   * An open connection for a request, or null when none is open. Requests keep their order on the
   * remote when they share a connection, so a client connection's requests (a gateway's) always take
   * the same one (its id picks it), and requests from no connection take the first open one: what a
   * verticle sends from one event loop arrives in the order sent (listeners and {@code Service.at}
   * hand one caller's requests to one instance; plain event-bus requests are spread over the instances
   * by the event bus, in no order). The other connections of the pool
   * serve other clients, and take over when one goes: when none of this instance's connections is
   * open, an open one of another instance (its client hops to that connection's event loop); else
   * a pool whose connections sit one per instance would fail this instance's requests while the rest
   * of the pool was up.
   */
  private Client<Object, Object> pick(long source) {
    int n = links.size();
    int start = source < 0 ? 0 : (int) Math.floorMod(source, (long) n);
    for (int i = 0; i < n; i++) {
      Client<Object, Object> c = links.get((start + i) % n).client();
      if (c != null) {
        return c;
      }
    }
    return connector.openClient(source);
  }

  private String noConnection() {
    String last = null;
    for (Link l : links) {
      if (l.lastError() != null) {
        last = l.lastError();
      }
    }
    return "no open connection to " + String.join(", ", options.hosts()) + (last == null ? "" : " (" + last + ")");
  }
}
