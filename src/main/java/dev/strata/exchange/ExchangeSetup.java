package dev.strata.exchange;

import dev.strata.framing.Encoder;
import dev.strata.framing.FrameCodec;
import dev.strata.framing.Tagging;
import dev.strata.stream.Connection;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

/**
 * What every connection of one listener instance shares: codec, protocol, options, dispatcher,
 * observer, the event loop. Kept out of {@link ServerExchange} so that an idle connection costs only
 * its own state (see docs/benchmarks.md, idle connections).
 *
 * <pre>{@code
 * Handler<Connection> onConnect = ExchangeSetup.create(vertx, LineCodec.create(), Protocols.LINES,
 *     ExchangeOptions.of("app.echo"), ExchangeObserver.NONE);
 * new TcpListener(vertx, TcpListenerOptions.of("echo", "0.0.0.0", 7070), registry, onConnect).start();
 * }</pre>
 *
 * <p>Create it on the listener's context: connections accepted there run on its event loop.
 */
public final class ExchangeSetup<F> implements Handler<Connection> {

  final Vertx vertx;
  final ContextInternal context;
  final Thread thread;
  final FrameCodec<F> codec;
  final Encoder<F> encoder;
  final Protocol<F> protocol;
  final ExchangeOptions options;
  final ExchangeObserver observer;
  final Dispatcher dispatcher;
  final Sendable sendable;
  final Tagging<F> tagging;
  final long timeoutNanos;

  private ExchangeSetup(Vertx vertx, FrameCodec<F> codec, Protocol<F> protocol, ExchangeOptions options,
      ExchangeObserver observer) {
    this.vertx = vertx;
    this.context = (ContextInternal) vertx.getOrCreateContext();
    this.thread = context.isEventLoopContext() && context.isRunningOnContext() ? Thread.currentThread() : null;
    this.codec = codec;
    this.encoder = codec.encoder();
    this.protocol = protocol;
    this.options = options;
    this.observer = observer;
    this.sendable = Sendable.of(vertx);
    this.timeoutNanos = options.requestTimeoutMs() * 1_000_000L;
    Dispatcher bus = new EventBusDispatcher(vertx, options.address(), options.requestTimeoutMs());
    // clustered: an application on another member gets a read's requests in one message (MemberRoutes)
    Dispatcher remote = vertx.isClustered()
        ? new MemberDispatcher(MemberRoutes.of(vertx), options.address(), options.requestTimeoutMs(), bus) : bus;
    this.dispatcher = options.localFirst()
        ? new LocalFirstDispatcher(LocalEndpoints.of(vertx), options.address(), remote) : bus;
    if (options.correlation() == Correlation.MULTIPLEXED) {
      this.tagging = codec.tagging();
      if (tagging == null) {
        throw new IllegalArgumentException("correlation multiplexed needs a codec whose frames carry a tag (json, or "
            + "length with codecOptions.tagBytes); codec " + codec.name() + " has none");
      }
    } else {
      this.tagging = null;
    }
    ValueListCodec.register(vertx);
  }

  public static <F> ExchangeSetup<F> create(Vertx vertx, FrameCodec<F> codec, Protocol<F> protocol,
      ExchangeOptions options, ExchangeObserver observer) {
    return new ExchangeSetup<>(vertx, codec, protocol, options, observer);
  }

  boolean multiplexed() {
    return tagging != null;
  }

  /** Installs a {@link ServerExchange} on a freshly accepted connection. */
  @Override
  public void handle(Connection connection) {
    new ServerExchange<>(this, connection).start();
  }
}
