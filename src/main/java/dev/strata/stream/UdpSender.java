package dev.strata.stream;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * One remote address of a UDP listener, seen as a stream: each datagram it sends is one chunk read,
 * each write is one datagram sent back to it. Its {@link Connection} is what the layer above serves.
 *
 * <p>UDP has no backpressure: while paused (its requests are at {@code maxInFlight}) the sender's
 * datagrams are dropped and counted, not queued. Writes never queue either: {@link #writeQueueFull}
 * is always false. Used on the listener's event loop only; counters are read from anywhere.
 */
public final class UdpSender implements ReadStream<Buffer>, WriteStream<Buffer> {

  private final UdpListener listener;
  private final SocketAddress address;
  private Connection connection;
  private Handler<Buffer> handler;
  private boolean paused;
  private volatile long datagramsIn;
  private volatile long datagramsOut;
  private volatile long dropped;
  private volatile long oversized;
  private volatile long lastHeard = System.currentTimeMillis();

  UdpSender(UdpListener listener, SocketAddress address) {
    this.listener = listener;
    this.address = address;
  }

  void connection(Connection c) {
    this.connection = c;
  }

  Connection connection() {
    return connection;
  }

  public SocketAddress address() {
    return address;
  }

  SocketAddress localAddress() {
    return listener.localAddress();
  }

  /** A datagram from this sender. */
  void receive(Buffer datagram) {
    lastHeard = System.currentTimeMillis();
    datagramsIn++;
    listener.stats().datagramsIn.increment();
    Handler<Buffer> h = handler;
    if (paused || h == null) {
      dropped++;
      listener.stats().datagramsDropped.increment();
      connection.countIn(datagram.length()); // received, if not read: the byte counts say what arrived
      return;
    }
    h.handle(datagram);
  }

  /** Sends {@code data} as one datagram; one larger than {@code maxDatagramBytes} is dropped and counted. */
  @Override
  public Future<Void> write(Buffer data) {
    if (data.length() > listener.options().maxDatagramBytes()) {
      countOversized();
      return Future.failedFuture("datagram of " + data.length() + " bytes exceeds maxDatagramBytes "
          + listener.options().maxDatagramBytes());
    }
    datagramsOut++;
    listener.stats().datagramsOut.increment();
    return listener.send(data, address);
  }

  /** A reply that did not fit in one datagram (the layer above answered an error instead, or nothing). */
  public void countOversized() {
    oversized++;
    listener.stats().repliesOversized.increment();
  }

  /** Forgets this sender (its pseudo-connection closes); a later datagram from it starts a new one. */
  void close() {
    listener.forget(this);
  }

  public long datagramsIn() {
    return datagramsIn;
  }

  public long datagramsOut() {
    return datagramsOut;
  }

  /** Datagrams dropped because the sender had {@code maxInFlight} requests unanswered. */
  public long dropped() {
    return dropped;
  }

  /** Replies too large for {@code maxDatagramBytes}. */
  public long oversized() {
    return oversized;
  }

  /** When its last datagram came. */
  public long lastHeard() {
    return lastHeard;
  }

  public int maxDatagramBytes() {
    return listener.options().maxDatagramBytes();
  }

  // ---- ReadStream / WriteStream ----

  @Override
  public UdpSender handler(Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public UdpSender pause() {
    paused = true;
    return this;
  }

  @Override
  public UdpSender resume() {
    paused = false;
    return this;
  }

  @Override
  public UdpSender fetch(long amount) {
    if (amount > 0) {
      paused = false;
    }
    return this;
  }

  @Override
  public UdpSender endHandler(Handler<Void> endHandler) {
    return this; // a sender never ends: it is forgotten (idle, evicted, closed)
  }

  @Override
  public UdpSender exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public Future<Void> end() {
    return Future.succeededFuture();
  }

  @Override
  public UdpSender setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public UdpSender drainHandler(Handler<Void> handler) {
    return this;
  }
}
