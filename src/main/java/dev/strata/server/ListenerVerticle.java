package dev.strata.server;

import dev.strata.config.CorrelationMode;
import dev.strata.config.Dispatch;
import dev.strata.config.FrameErrorPolicy;
import dev.strata.config.ListenerConfig;
import dev.strata.exchange.Correlation;
import dev.strata.exchange.ExchangeObserver;
import dev.strata.exchange.ExchangeOptions;
import dev.strata.exchange.ExchangeSetup;
import dev.strata.exchange.Protocol;
import dev.strata.exchange.Protocols;
import dev.strata.framing.Codecs;
import dev.strata.framing.FrameCodec;
import dev.strata.stream.ConnectionRegistry;
import dev.strata.stream.TcpListener;
import dev.strata.stream.TcpListenerOptions;
import dev.strata.stream.UdpListener;
import dev.strata.stream.UdpListenerOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.function.IntConsumer;

/**
 * One instance of a configured listener: the three layers wired together. Bytes from the stream layer
 * go through the codec into a {@code ServerExchange}, which talks to the listener's address. A UDP
 * listener differs only in its stream layer: each sender is a pseudo-connection fed by datagrams.
 */
final class ListenerVerticle extends VerticleBase {

  private final ListenerConfig config;
  private final int maxConnections;
  private final ConnectionRegistry registry;
  private final IntConsumer boundPort;
  private final ExchangeObserver observer;
  private final long shutdownGraceMs;
  private TcpListener listener;
  private UdpListener udp;

  ListenerVerticle(ListenerConfig config, int maxConnections, ConnectionRegistry registry, ExchangeObserver observer,
      IntConsumer boundPort, long shutdownGraceMs) {
    this.config = config;
    this.shutdownGraceMs = shutdownGraceMs;
    this.maxConnections = maxConnections;
    this.observer = observer;
    this.registry = registry;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    FrameCodec<Object> codec = cast(Codecs.create(config.codec(), config.maxFrameBytes(), config.codecOptions()));
    Protocol<Object> protocol = Protocols.forCodec(codec.name());
    ExchangeOptions exchange = new ExchangeOptions(config.address(), config.maxInFlight(),
        config.requestTimeout().toMillis(), config.onFrameError() == FrameErrorPolicy.ERROR_AND_RESYNC,
        config.dispatch() == Dispatch.LOCAL_FIRST,
        config.correlation() == CorrelationMode.MULTIPLEXED ? Correlation.MULTIPLEXED : Correlation.PIPELINED,
        config.rateLimit() == null ? 0 : config.rateLimit().perSecond(),
        config.rateLimit() == null ? 0 : config.rateLimit().burst(), config.slowConsumerTimeout().toMillis());
    ExchangeSetup<Object> setup = ExchangeSetup.create(vertx, codec, protocol, exchange, observer);
    if (config.udp()) {
      udp = new UdpListener(vertx, new UdpListenerOptions(config.name(), config.host(), config.port(),
          config.idleTimeout().toMillis(), config.maxSenders(), config.maxDatagramBytes()), registry, setup);
      return udp.start().onSuccess(boundPort::accept);
    }
    TcpListenerOptions tcp = new TcpListenerOptions(config.name(), config.host(), config.port(),
        config.idleTimeout().toMillis(), config.frameTimeout().toMillis(), maxConnections, config.maxConnectionsPerIp(),
        config.maxWriteQueue() == null ? 0 : config.maxWriteQueue());
    listener = new TcpListener(vertx, tcp, registry, setup);
    return listener.start().onSuccess(boundPort::accept);
  }

  @Override
  public Future<?> stop() {
    if (udp != null) {
      return udp.stop(shutdownGraceMs);
    }
    return listener == null ? Future.succeededFuture() : listener.stop(shutdownGraceMs);
  }

  @SuppressWarnings("unchecked")
  private static FrameCodec<Object> cast(FrameCodec<?> codec) {
    return (FrameCodec<Object>) codec;
  }
}
