package dev.strata.bridge;

import dev.strata.stream.ConnectionRegistry;
import dev.strata.stream.TcpListener;
import dev.strata.stream.TcpListenerOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.ServerSSLOptions;
import java.util.function.Function;
import java.util.function.IntConsumer;

/** One instance of the bridge's TCP listener; its connections are in the registry as listener "bridge". */
public final class BridgeVerticle extends VerticleBase {

  public static final String LISTENER_NAME = "bridge";
  private static final long SHUTDOWN_GRACE_MS = 2_000;

  private final String host;
  private final int port;
  private final int maxConnections;
  private final BridgeRules rules;
  private final ConnectionRegistry registry;
  private final IntConsumer boundPort;
  private final ServerSSLOptions tls;
  private final Function<TcpListener, Runnable> tlsRegistration;
  private TcpListener listener;
  private Runnable unregisterTls = () -> { };

  public BridgeVerticle(String host, int port, int maxConnections, BridgeRules rules, ConnectionRegistry registry,
      IntConsumer boundPort) {
    this(host, port, maxConnections, rules, registry, boundPort, null, l -> () -> { });
  }

  /**
   * @param tls             null: plaintext
   * @param tlsRegistration offers the started listener to whoever reloads certificates; returns how to withdraw it
   */
  public BridgeVerticle(String host, int port, int maxConnections, BridgeRules rules, ConnectionRegistry registry,
      IntConsumer boundPort, ServerSSLOptions tls, Function<TcpListener, Runnable> tlsRegistration) {
    this.tls = tls;
    this.tlsRegistration = tlsRegistration;
    this.host = host;
    this.port = port;
    this.maxConnections = maxConnections;
    this.rules = rules;
    this.registry = registry;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    // no idle timeout: bridge clients are long-lived and may only listen (they send "ping" to check)
    TcpListenerOptions tcp = new TcpListenerOptions(LISTENER_NAME, host, port, 0, 0, maxConnections, 0, 0, tls);
    listener = new TcpListener(vertx, tcp, registry, c -> new BridgeSession(vertx, c, rules).start());
    return listener.start().onSuccess(p -> {
      boundPort.accept(p);
      if (tls != null) {
        unregisterTls = tlsRegistration.apply(listener);
      }
    });
  }

  @Override
  public Future<?> stop() {
    unregisterTls.run();
    return listener == null ? Future.succeededFuture() : listener.stop(SHUTDOWN_GRACE_MS);
  }
}
