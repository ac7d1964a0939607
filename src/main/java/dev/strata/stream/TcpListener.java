package dev.strata.stream;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.concurrent.TimeUnit;

/**
 * A TCP listener: binds, registers each accepted connection, hands it to the layer above.
 * Several instances of one listener (one per event loop) may bind the same port: Vert.x spreads the
 * accepted sockets over them.
 */
public final class TcpListener {

  private final Vertx vertx;
  private final TcpListenerOptions options;
  private final ConnectionRegistry registry;
  private final Handler<Connection> handler;
  private NetServer server;
  private long frameTimer = -1;

  public TcpListener(Vertx vertx, TcpListenerOptions options, ConnectionRegistry registry,
      Handler<Connection> handler) {
    this.vertx = vertx;
    this.options = options;
    this.registry = registry;
    this.handler = handler;
  }

  /** Binds; the future carries the actual port (useful with port 0). */
  public Future<Integer> start() {
    NetServerOptions o = new NetServerOptions()
        .setHost(options.host())
        .setPort(options.port())
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, options.idleTimeoutMs()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS) // not seconds: 500ms must not become "never"
        .setTcpNoDelay(true)
        .setReuseAddress(true);
    server = vertx.createNetServer(o);
    server.connectHandler(socket -> {
      Connection c = registry.register(options, socket);
      if (c != null) {
        if (options.maxWriteQueue() > 0) {
          socket.setWriteQueueMaxSize(options.maxWriteQueue());
        }
        HalfClose.enable(socket, c);
        socket.shutdownHandler(v -> c.shutdownStarted()); // NetServer.shutdown: the grace period began
        handler.handle(c);
      }
    });
    if (options.frameTimeoutMs() > 0) {
      long every = Math.max(50, Math.min(1000, options.frameTimeoutMs() / 4));
      frameTimer = vertx.setPeriodic(every, id -> closeSlowFrames());
    }
    return server.listen().map(NetServer::actualPort);
  }

  /**
   * Closes this listener's connections whose unfinished frame began {@code frameTimeout} ago or more.
   * Only connections holding a partial frame are looked at (the node's {@link PendingFrames} holders),
   * so a connection whose frames complete within a read costs nothing here.
   */
  private void closeSlowFrames() {
    long now = System.currentTimeMillis();
    for (Connection c : registry.pendingFrames().holders()) {
      long since = c.partialSince();
      if (since > 0 && now - since >= options.frameTimeoutMs() && !c.readPaused()
          && c.listener().equals(options.name()) && c.isOpen()) {
        c.abort(CloseReason.FRAME_TIMEOUT);
      }
    }
  }

  /**
   * Stops accepting; each open connection is told (its {@link Connection#shutdownHandler}) and gets
   * {@code grace} to finish, then is closed.
   */
  public Future<Void> stop(long graceMillis) {
    if (server == null) {
      return Future.succeededFuture();
    }
    if (frameTimer >= 0) {
      vertx.cancelTimer(frameTimer);
    }
    registry.open().stream()
        .filter(c -> c.listener().equals(options.name()))
        .forEach(c -> c.markShutdown());
    return server.shutdown(graceMillis, TimeUnit.MILLISECONDS);
  }

  public TcpListenerOptions options() {
    return options;
  }
}
