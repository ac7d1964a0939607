package dev.strata.stream;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * One accepted TCP connection, or one sender of a UDP listener (a pseudo-connection: the datagrams
 * from one address, see {@link UdpListener}): its identity and live counters. The layer above reads
 * and writes through {@link #input()} and {@link #output()} and need not know which it is.
 *
 * <p>Counters are written only on the connection's event loop and read from anywhere (the admin API,
 * the dashboard), hence plain volatile fields with a single writer rather than atomics.
 */
public final class Connection implements Handler<Void> {

  private final long id;
  private final ListenerStats stats;
  /** The TCP socket, or null for a UDP sender. */
  private final NetSocket socket;
  /** The UDP sender, or null for a TCP connection. */
  private final UdpSender sender;
  private final long openedAt = System.currentTimeMillis();
  private final long idleTimeoutMs;
  private volatile long bytesIn;
  private volatile long bytesOut;
  private volatile long framesIn;
  private volatile long framesOut;
  private volatile long frameErrors;
  private volatile int inFlight;
  private volatile int peakInFlight;
  private volatile boolean readPaused;
  private volatile long lastActivity = openedAt;
  private volatile CloseReason closeReason;
  private volatile boolean ended;
  /** Bytes the decoder holds for a frame cut across reads; written on the event loop only. */
  private volatile int held;
  private volatile boolean memoryClosing;
  /** The remote address counted against {@code maxConnectionsPerIp}, or null. */
  private String perIp;
  /** When the unfinished frame now held began (0: none held). */
  private volatile long partialSince;
  private Handler<Connection> closeHandler;
  private InputEndHandler inputEndHandler;
  private Handler<Connection> shutdownHandler;
  /** Shutting down, every answer written: what the peer still sends is read and dropped until it closes. */
  private boolean lingering;
  /** The peer half-closed (its FIN came). */
  private boolean peerDone;
  private volatile FrameTap tap;

  Connection(long id, ListenerStats stats, NetSocket socket, long idleTimeoutMs) {
    this.id = id;
    this.stats = stats;
    this.socket = socket;
    this.sender = null;
    this.idleTimeoutMs = idleTimeoutMs;
  }

  Connection(long id, ListenerStats stats, UdpSender sender, long idleTimeoutMs) {
    this.id = id;
    this.stats = stats;
    this.socket = null;
    this.sender = sender;
    this.idleTimeoutMs = idleTimeoutMs;
  }

  public long id() {
    return id;
  }

  public String listener() {
    return stats.name;
  }

  /** The TCP socket (null for a UDP sender); the layer above installs its handlers on it. */
  public NetSocket socket() {
    return socket;
  }

  /** The UDP sender this pseudo-connection stands for, or null for a TCP connection. */
  public UdpSender sender() {
    return sender;
  }

  /** What the peer sends: the socket's bytes, or a UDP sender's datagrams one by one. */
  public ReadStream<Buffer> input() {
    return socket != null ? socket : sender;
  }

  /** Where replies go: the socket, or one datagram per write to the UDP sender's address. */
  public WriteStream<Buffer> output() {
    return socket != null ? socket : sender;
  }

  public SocketAddress remoteAddress() {
    return socket != null ? socket.remoteAddress() : sender.address();
  }

  public SocketAddress localAddress() {
    return socket != null ? socket.localAddress() : sender.localAddress();
  }

  public long openedAt() {
    return openedAt;
  }

  public void countIn(int bytes) {
    bytesIn += bytes;
    lastActivity = System.currentTimeMillis();
  }

  public void countOut(int bytes, int frames) {
    bytesOut += bytes;
    framesOut += frames;
    lastActivity = System.currentTimeMillis();
  }

  /** A request refused by the listener's {@code rateLimit}. */
  public void countRateLimited() {
    stats.rateLimited.increment();
  }

  public void countFrameIn() {
    framesIn++;
  }

  /** A framing error answered on this connection (a malformed request). */
  public void countFrameError() {
    frameErrors++;
  }

  public long frameErrors() {
    return frameErrors;
  }

  public void inFlight(int n) {
    inFlight = n;
    if (n > peakInFlight) {
      peakInFlight = n;
    }
  }

  /** The most requests this connection ever had awaiting replies at once. */
  public int peakInFlight() {
    return peakInFlight;
  }

  /**
   * Reports the bytes held (allocated) for this connection's unfinished frame after a read, 0 when
   * none: they count against the node's {@link PendingFrames} budget. Call on the event loop.
   */
  public void held(int bytes) {
    int before = held;
    if (bytes != before) {
      held = bytes;
      if (before == 0) {
        partialSince = System.currentTimeMillis();
      } else if (bytes == 0) {
        partialSince = 0;
      }
      stats.registry.pendingFrames().change(this, before, bytes);
    }
  }

  /** Bytes held for an unfinished frame, as last reported. */
  public int held() {
    return held;
  }

  /** When the unfinished frame this connection holds began, or 0. */
  public long partialSince() {
    return partialSince;
  }

  void perIp(String ip) {
    this.perIp = ip;
  }

  String perIp() {
    return perIp;
  }

  boolean memoryClosing() {
    return memoryClosing;
  }

  void closeForMemory() {
    memoryClosing = true;
    stats.closedForMemory.increment();
    abort(CloseReason.MEMORY);
  }

  public void readPaused(boolean paused) {
    if (!paused && readPaused && partialSince > 0) {
      partialSince = System.currentTimeMillis(); // we stopped reading, not the peer: its frame's time starts again
    }
    readPaused = paused;
  }

  public long bytesIn() {
    return bytesIn;
  }

  public long bytesOut() {
    return bytesOut;
  }

  public long framesIn() {
    return framesIn;
  }

  public long framesOut() {
    return framesOut;
  }

  public int inFlight() {
    return inFlight;
  }

  public boolean readPaused() {
    return readPaused;
  }

  public long lastActivity() {
    return lastActivity;
  }

  public boolean isOpen() {
    return !ended;
  }

  /** When it closed (0 while open): the last activity of a closed connection is its close. */
  public long closedAt() {
    return ended ? lastActivity : 0;
  }

  /** Why it closed, or null while open. */
  public CloseReason closeReason() {
    return closeReason;
  }

  /** Closes the connection, recording why (the first reason given wins). */
  public void close(CloseReason reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
    if (socket == null) {
      sender.close();
      return;
    }
    socket.close();
  }

  /**
   * Closes the connection at once, dropping whatever is still queued for it. {@link #close} flushes
   * first, and a peer that does not read would keep it open forever: this is for the peers that
   * misbehave (a slow consumer, a slowloris, the largest holder of partial frames).
   */
  public void abort(CloseReason reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
    if (socket == null) {
      sender.close(); // nothing is queued for a datagram sender
    } else if (socket instanceof NetSocketInternal internal) {
      // past Vert.x's close, which writes what is queued first: the channel's own close, on its loop
      io.netty.channel.Channel ch = internal.channelHandlerContext().channel();
      Runnable now = () -> ch.unsafe().close(ch.unsafe().voidPromise());
      if (ch.eventLoop().inEventLoop()) {
        now.run();
      } else {
        ch.eventLoop().execute(now);
      }
    } else {
      socket.close();
    }
  }

  /** The frame tap, or null when none is on. */
  public FrameTap tap() {
    return tap;
  }

  public void tap(FrameTap tap) {
    this.tap = tap;
  }

  /** Whether the socket's write queue is full (the peer reads slower than we write). */
  public boolean writeQueueFull() {
    return socket != null && socket.writeQueueFull();
  }

  /** Called once, on the event loop, after the socket closed and the entry left the registry. */
  public void closeHandler(Handler<Connection> handler) {
    this.closeHandler = handler;
  }

  /** What the layer above does when the peer has finished sending but may still read. */
  public interface InputEndHandler {
    void inputEnded(Connection connection);
  }

  /**
   * Called on the event loop when the peer half-closes (its FIN came, it may still read): the
   * handler answers what is owed, then closes. Without a handler the connection closes at once.
   */
  public void inputEndHandler(InputEndHandler handler) {
    this.inputEndHandler = handler;
  }

  void inputEnded() {
    peerDone = true;
    if (lingering) {
      close(CloseReason.SHUTDOWN);
      return;
    }
    InputEndHandler h = inputEndHandler;
    if (h != null) {
      h.inputEnded(this);
    } else {
      close(CloseReason.CLIENT_CLOSED);
    }
  }

  /** Records why it is about to close, unless a reason was already given. */
  void markClosing(CloseReason reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
  }

  void markShutdown() {
    if (closeReason == null) {
      closeReason = CloseReason.SHUTDOWN;
    }
  }

  /**
   * Called on the event loop when the node stops gracefully (the listener's shutdown began): the
   * handler stops reading, answers what it has read, then calls {@link #finishShutdown}. Without a
   * handler the connection stays as it is until the shutdown deadline closes it.
   */
  public void shutdownHandler(Handler<Connection> handler) {
    this.shutdownHandler = handler;
  }

  void shutdownStarted() {
    markShutdown();
    Handler<Connection> h = shutdownHandler;
    if (h != null) {
      h.handle(this);
    }
  }

  /**
   * Every answer this connection owes is written: once they are flushed, half-closes (the peer reads
   * its last replies, then end of stream), then reads and drops whatever the peer still sends until
   * it closes too, or the shutdown deadline. Closing with unread bytes in the kernel's buffer would
   * send a reset instead, and a reset can destroy replies the peer has not read yet (the lingering
   * close of HTTP servers, for the same reason). Call on the event loop.
   */
  public void finishShutdown() {
    if (lingering || ended) {
      return;
    }
    lingering = true;
    markShutdown();
    if (socket == null) {
      close(CloseReason.SHUTDOWN); // a datagram sender has no stream to half-close: its replies are sent
      return;
    }
    socket.handler(bytes -> countIn(bytes.length())); // requests not read before the stop are not run
    socket.resume();
    socket.write(io.vertx.core.buffer.Buffer.buffer()).onComplete(ar -> {
      if (ar.failed() || !HalfClose.shutdownOutput(socket) || peerDone) {
        close(CloseReason.SHUTDOWN);
      }
    });
  }

  /**
   * At close during a graceful stop: {@code owedAtStop} answers were owed when it began, {@code owed}
   * still are (0: drained; else the deadline cut them).
   */
  public void shutdownOutcome(int owedAtStop, int owed) {
    ShutdownTally t = stats.registry.shutdownTally();
    if (owed == 0) {
      t.drained(owedAtStop);
    } else {
      t.cut(owed, Math.max(0, owedAtStop - owed));
    }
  }

  /** The socket's exception handler: an I/O error means the peer reset the connection. */
  void failed(Throwable err) {
    if (err instanceof java.io.IOException && closeReason == null) {
      closeReason = CloseReason.RESET;
    }
  }

  /** The socket's close handler (public only because a handler must be; not for callers). */
  @Override
  public void handle(Void ignored) {
    stats.registry.closed(this, stats);
  }

  /** Records the outcome and tells the layer above; the registry calls it before its listeners. */
  void closed() {
    if (closeReason == null) {
      boolean idle = idleTimeoutMs > 0
          && System.currentTimeMillis() - lastActivity >= idleTimeoutMs - Math.min(50, idleTimeoutMs / 10);
      closeReason = idle ? CloseReason.IDLE : CloseReason.CLIENT_CLOSED;
    }
    lastActivity = System.currentTimeMillis();
    ended = true;
    held(0); // the layer above drops its decoder at close; it may not say so before the registry forgets us
    Handler<Connection> h = closeHandler;
    if (h != null) {
      h.handle(this);
    }
  }

  /** What the recently-closed ring keeps: no socket, no buffer. */
  ClosedConnection summary() {
    return new ClosedConnection(id, stats.name, remoteAddress(), localAddress(), openedAt, closedAt(),
        bytesIn, bytesOut, framesIn, framesOut, peakInFlight, closeReason);
  }

  @Override
  public String toString() {
    return (socket != null ? "connection " : "udp sender ") + id + " (" + stats.name + ", " + remoteAddress() + ")";
  }
}
