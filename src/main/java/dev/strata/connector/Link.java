package dev.strata.connector;

import dev.strata.exchange.Client;
import dev.strata.framing.FrameCodec;
import dev.strata.framing.FramedStream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One pooled connection of a connector, on its instance's event loop: connects, serves requests
 * through a {@link Client} while open, and when the connection goes (or never came) tries again after
 * a delay that doubles from {@code reconnectInitial} to {@code reconnectMax}, with jitter so that a
 * pool does not reconnect in step. The delays start again from {@code reconnectInitial} only after a
 * connection has stayed open for {@code reconnectMax}: one dropped at once does not count as recovered. Counters are read by the admin API from any thread.
 */
final class Link implements FramedStream.Counters {

  enum State {
    CONNECTING, OPEN, WAITING, CLOSED
  }

  private static final System.Logger LOG = System.getLogger(Link.class.getName());

  private final Connector connector;
  private final Vertx vertx;
  private final NetClient net;
  private final FrameCodec<Object> codec;
  final String host;
  final int port;
  private volatile State state = State.CONNECTING;
  private volatile String lastError;
  private volatile long bytesIn;
  private volatile long bytesOut;
  private volatile long framesOut;
  private volatile int connects;
  private volatile long openedAt;
  private final Runnable onOpen;
  private int attempt;
  private long timer = -1;
  /** Volatile: an instance whose own connections are down sends on another's ({@link Connector#openClient}). */
  private volatile Client<Object, Object> client;

  /** @param onOpen run on the link's event loop each time its connection opens */
  Link(Connector connector, Vertx vertx, NetClient net, FrameCodec<Object> codec, String host, int port,
      Runnable onOpen) {
    this.connector = connector;
    this.onOpen = onOpen;
    this.vertx = vertx;
    this.net = net;
    this.codec = codec;
    this.host = host;
    this.port = port;
  }

  /** Connects; the future completes when the first attempt is over, whatever its outcome. */
  Future<Void> connect() {
    if (state == State.CLOSED) {
      return Future.succeededFuture();
    }
    state = State.CONNECTING;
    return Client.connect(vertx, net, host, port, codec, connector.options().client(), this)
        .onSuccess(c -> {
          if (state == State.CLOSED) {
            c.close();
            return;
          }
          client = c;
          // attempt is not reset here: a remote that accepts and drops connections at once (a server
          // at its client limit) would be retried every reconnect.initial; see lost()
          connects++;
          openedAt = System.currentTimeMillis();
          lastError = null;
          state = State.OPEN;
          c.closeHandler(err -> lost(err.getMessage()));
          connector.reported(null);
          LOG.log(System.Logger.Level.INFO, "connector {0}: connected to {1}", connector.name(), host + ":" + port);
          onOpen.run();
        })
        .onFailure(err -> failed("cannot connect to " + host + ":" + port + ": " + err.getMessage()))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private void lost(String reason) {
    client = null;
    if (System.currentTimeMillis() - openedAt >= connector.options().reconnectMaxMs()) {
      attempt = 0; // it served for longer than the longest delay: a new failure starts from reconnect.initial
    }
    connector.connectionLost();
    failed(reason);
  }

  private void failed(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    lastError = reason;
    state = State.WAITING;
    long base = Math.min(connector.options().reconnectMaxMs(), connector.options().reconnectInitialMs() << Math.min(attempt, 20));
    long delay = Math.max(1, base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    attempt++;
    // the same failure of the pool's connections, again and again, is logged once until one connects
    LOG.log(connector.reported(reason) ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
        "connector {0}: {1}; reconnecting in {2} ms", connector.name(), reason, delay);
    timer = vertx.setTimer(delay, id -> {
      timer = -1;
      connect();
    });
  }

  /** The client while the connection is open, else null. */
  Client<Object, Object> client() {
    Client<Object, Object> c = client;
    return c != null && c.isOpen() ? c : null;
  }

  State state() {
    return state;
  }

  String lastError() {
    return lastError;
  }

  int inFlight() {
    Client<Object, Object> c = client;
    return c == null ? 0 : c.inFlight() + c.waiting();
  }

  Future<Void> close() {
    state = State.CLOSED;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    Client<Object, Object> c = client;
    client = null;
    return c == null ? Future.succeededFuture() : c.close();
  }

  @Override
  public void read(int bytes) {
    bytesIn += bytes;
  }

  @Override
  public void wrote(int bytes, int frames) {
    bytesOut += bytes;
    framesOut += frames;
  }

  JsonObject toJson() {
    Client<Object, Object> c = client;
    return new JsonObject()
        .put("remote", host + ":" + port)
        .put("state", state.name().toLowerCase())
        .put("inFlight", c == null ? 0 : c.inFlight())
        .put("waiting", c == null ? 0 : c.waiting())
        .put("bytesIn", bytesIn).put("bytesOut", bytesOut).put("requestsSent", framesOut)
        .put("connects", connects)
        .put("openedAt", state == State.OPEN ? openedAt : null)
        .put("lastError", lastError);
  }
}
