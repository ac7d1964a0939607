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
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.List;

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
        options.codecOptions());
    protocol = Protocols.forCodec(codec.name());
    net = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMs()))
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true));
    List<Future<Void>> first = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      String[] hp = ConnectorOptions.hostAndPort(options.hosts().get((firstHost + i) % options.hosts().size()));
      Link link = new Link(connector, vertx, net, codec, hp[0], Integer.parseInt(hp[1]));
      links.add(link);
      connector.add(link);
      first.add(link.connect());
    }
    // a remote that is down at start does not stop the node: requests fail until it is back
    return Future.join(first).transform(v -> Endpoint.serve(vertx, options.address(), this::handle));
  }

  @Override
  public Future<?> stop() {
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
        connector.retried();
        attempt(m, frame, retriesLeft - 1, started, source);
        return;
      }
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
    });
  }

  /**
   * An open connection for a request, or null when none is open. Requests keep their order on the
   * remote when they share a connection, so a client connection's requests (a gateway's) always take
   * the same one (its id picks it), and requests from no connection take the first open one: what a
   * verticle sends from one event loop arrives in the order sent. The other connections of the pool
   * serve other clients, and take over when one goes.
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
    return null;
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
