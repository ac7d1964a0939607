package dev.strata.stream;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A UDP listener: binds one datagram socket and serves every remote address that sends to it as a
 * {@link UdpSender} with its own {@link Connection} (registered like a TCP connection, so that the
 * layer above, the admin API and the applications treat both alike), handed to the layer above on
 * its first datagram.
 *
 * <pre>
 *   datagram from 10.0.0.5:4000 ─▶ senders[10.0.0.5:4000] (new: registered, handed up) ─▶ its input
 *   its output.write(bytes)     ─▶ one datagram to 10.0.0.5:4000
 * </pre>
 *
 * <p>The senders are bounded, so that a flood of spoofed source addresses cannot grow the heap: at
 * most {@code maxSenders}, least recently heard evicted first ({@link CloseReason#EVICTED}), and
 * one not heard from for {@code idleTimeout} is forgotten ({@link CloseReason#IDLE}). A forgotten
 * sender that sends again starts afresh, with a new connection id.
 *
 * <p>One socket on one event loop: everything here runs on the context that called {@link #start}.
 */
public final class UdpListener {

  private final Vertx vertx;
  private final UdpListenerOptions options;
  private final ConnectionRegistry registry;
  private final Handler<Connection> handler;
  private final ListenerStats stats;
  /** Access order: the eldest entry is the sender heard from least recently. */
  private final LinkedHashMap<SocketAddress, UdpSender> senders = new LinkedHashMap<>(64, 0.75f, true);
  private Context context;
  private DatagramSocket socket;
  private SocketAddress local;
  private long expiryTimer = -1;
  /** Set once a stop began: completed when every sender has been answered and forgotten. */
  private Promise<Void> stopping;

  public UdpListener(Vertx vertx, UdpListenerOptions options, ConnectionRegistry registry,
      Handler<Connection> handler) {
    this.vertx = vertx;
    this.options = options;
    this.registry = registry;
    this.handler = handler;
    this.stats = registry.stats(options.name());
  }

  /** Binds; the future carries the actual port (useful with port 0). */
  public Future<Integer> start() {
    context = vertx.getOrCreateContext();
    socket = vertx.createDatagramSocket(new DatagramSocketOptions()
        .setReceiveBufferSize(UdpListenerOptions.RECEIVE_BUFFER)); // also the size Vert.x reads each datagram into
    socket.handler(this::onDatagram);
    if (options.idleTimeoutMs() > 0) {
      long every = Math.max(50, Math.min(5_000, options.idleTimeoutMs() / 4));
      expiryTimer = vertx.setPeriodic(every, id -> expireIdle());
    }
    return socket.listen(options.port(), options.host()).map(s -> {
      local = s.localAddress();
      return local.port();
    });
  }

  private void onDatagram(DatagramPacket packet) {
    if (stopping != null) {
      stats.datagramsDropped.increment(); // stopping: what comes now is never run
      return;
    }
    SocketAddress from = packet.sender();
    UdpSender s = senders.get(from);
    if (s == null) {
      if (senders.size() >= options.maxSenders()) {
        Iterator<UdpSender> eldest = senders.values().iterator();
        UdpSender out = eldest.next();
        eldest.remove();
        closed(out, CloseReason.EVICTED);
      }
      s = new UdpSender(this, from);
      Connection c = registry.registerSender(options.name(), s, options.idleTimeoutMs());
      s.connection(c);
      senders.put(from, s);
      handler.handle(c);
    }
    s.receive(packet.data());
  }

  /** Forgets the senders not heard from for {@code idleTimeout}: the eldest first, stopping at a recent one. */
  private void expireIdle() {
    long before = System.currentTimeMillis() - options.idleTimeoutMs();
    List<UdpSender> idle = new ArrayList<>();
    for (Iterator<UdpSender> it = senders.values().iterator(); it.hasNext(); ) {
      UdpSender s = it.next();
      if (s.lastHeard() > before) {
        break;
      }
      it.remove();
      idle.add(s);
    }
    idle.forEach(s -> closed(s, CloseReason.IDLE));
  }

  /** The layer above closed a sender's connection (a QUIT, an admin): forget it, on the listener's loop. */
  void forget(UdpSender s) {
    if (Vertx.currentContext() != context) {
      context.runOnContext(v -> forget(s));
      return;
    }
    if (senders.remove(s.address(), s)) {
      closed(s, null);
    }
    if (stopping != null && senders.isEmpty()) {
      stopping.tryComplete();
    }
  }

  private void closed(UdpSender s, CloseReason reason) {
    Connection c = s.connection();
    if (reason != null) {
      c.markClosing(reason);
    }
    c.handle(null); // as a socket's close: out of the registry, the layer above told
  }

  Future<Void> send(Buffer data, SocketAddress to) {
    return socket.send(data, to.port(), to.host());
  }

  SocketAddress localAddress() {
    return local;
  }

  ListenerStats stats() {
    return stats;
  }

  public UdpListenerOptions options() {
    return options;
  }

  /** Senders tracked now. */
  public int senders() {
    return senders.size();
  }

  /**
   * Stops gracefully: datagrams that come from now on are dropped; each sender is told (its
   * {@link Connection#shutdownHandler}), answers what it had read and is forgotten; those still
   * owing answers after {@code graceMillis} are closed. Then the socket closes.
   */
  public Future<Void> stop(long graceMillis) {
    if (socket == null) {
      return Future.succeededFuture();
    }
    if (stopping != null) {
      return stopping.future();
    }
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
    }
    stopping = Promise.promise();
    new ArrayList<>(senders.values()).forEach(s -> s.connection().shutdownStarted());
    if (senders.isEmpty()) {
      stopping.tryComplete();
    }
    long deadline = vertx.setTimer(Math.max(1, graceMillis), id -> {
      List<UdpSender> left = new ArrayList<>(senders.values());
      senders.clear();
      left.forEach(s -> closed(s, CloseReason.SHUTDOWN));
      stopping.tryComplete();
    });
    return stopping.future().compose(v -> {
      vertx.cancelTimer(deadline);
      return socket.close();
    });
  }
}
