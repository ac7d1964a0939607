package dev.strata.exchange;

import dev.strata.framing.FrameCodec;
import dev.strata.framing.FramedStream;
import dev.strata.framing.Transport;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;

/**
 * Requests over one connection, for code that does not want the event bus: {@code request(frame)}
 * writes the frame and the future completes with the response frame, matched in order (pipelined) or
 * by tag (multiplexed), by the same correlator the listeners use. Connectors are built on it.
 *
 * <pre>{@code
 * Client<Object, Object> redis = Client.connect(vertx, netClient, "127.0.0.1", 6379, RespCodec.create(),
 *     ClientOptions.defaults()).await();
 * redis.request(Resp.command("SET", "k", "v"))
 *     .compose(ok -> redis.request(Resp.command("GET", "k")))
 *     .onSuccess(v -> System.out.println(v));          // Buffer "v"
 * }</pre>
 *
 * <p>Every request gets exactly one outcome: the response, {@link ExchangeException.Timeout},
 * {@link ExchangeException.ConnectionLost} (the connection closed, was reset, or the remote sent a
 * frame that does not decode: every request in flight fails at once), or
 * {@link ExchangeException.Unavailable} (closed, or too many waiting). Nothing is ever written twice.
 * Writes of one event-loop task leave in one write. Use a client on its connection's context; calls
 * from elsewhere hop there.
 */
public interface Client<Req, Rep> extends Service<Req, Rep> {

  /** Requests written and awaiting their responses. */
  int inFlight();

  /** Requests not yet written (beyond {@code maxInFlight}, or while the remote is not reading). */
  int waiting();

  boolean isOpen();

  /** Called once when the connection is gone, with the reason; requests in flight have failed by then. */
  Client<Req, Rep> closeHandler(Handler<Throwable> handler);

  /** Closes the connection; requests in flight fail with {@link ExchangeException.ConnectionLost}. */
  Future<Void> close();

  /** A client over a transport (call on the transport's context). */
  static <F> Client<F, F> over(Transport<F> transport, FrameCodec<F> codec, ClientOptions options, String remote) {
    return new TransportClient<>(transport, codec, options, remote);
  }

  /** Connects to {@code host:port} and returns a client over the new connection. */
  static <F> Future<Client<F, F>> connect(Vertx vertx, NetClient net, String host, int port, FrameCodec<F> codec,
      ClientOptions options) {
    return connect(vertx, net, host, port, codec, options, FramedStream.Counters.NONE);
  }

  /** Like {@link #connect(Vertx, NetClient, String, int, FrameCodec, ClientOptions)}, counting bytes into {@code counters}. */
  static <F> Future<Client<F, F>> connect(Vertx vertx, NetClient net, String host, int port, FrameCodec<F> codec,
      ClientOptions options, FramedStream.Counters counters) {
    return net.connect(port, host).map(socket -> {
      TransportClient<F> c = new TransportClient<>(Transport.over(socket, socket, codec, counters), codec, options,
          host + ":" + port);
      socket.closeHandler(v -> c.lost("connection to " + host + ":" + port + " closed"));
      return c;
    });
  }
}
