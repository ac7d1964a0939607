package dev.strata.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote service written for a test, where no real peer exists: a Vert.x {@code NetServer} on
 * 127.0.0.1 speaking frames of a 4-byte big-endian length and a body (the wire form of Strata's
 * {@code length} and {@code json} codecs), parsed here with Vert.x's own {@code RecordParser} rather
 * than Strata's decoders. What it answers is up to the test's {@link Behaviour}.
 *
 * <pre>{@code
 * FakeRemote echo = FakeRemote.start(vertx, (conn, frame) -> conn.send(frame));
 * }</pre>
 */
public final class FakeRemote {

  /** What the remote does with each request frame (the body, without its length prefix). */
  @FunctionalInterface
  public interface Behaviour {
    void frame(Conn conn, Buffer frame);
  }

  /** One accepted connection. */
  public final class Conn {
    public final int index;
    /** {@code System.nanoTime()} when it was accepted. */
    public final long acceptedAt = System.nanoTime();
    public final NetSocket socket;
    public final List<Buffer> received = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    Conn(int index, NetSocket socket) {
      this.index = index;
      this.socket = socket;
    }

    /** Writes one frame: the length, then the body. */
    public void send(Buffer body) {
      socket.write(Buffer.buffer(4 + body.length()).appendInt(body.length()).appendBuffer(body));
    }

    public void send(JsonObject body) {
      send(body.toBuffer());
    }

    /** Writes bytes as they are (garbage, a bad length). */
    public void sendRaw(Buffer bytes) {
      socket.write(bytes);
    }

    public void close() {
      socket.close();
    }

    public boolean isClosed() {
      return closed;
    }

    public FakeRemote remote() {
      return FakeRemote.this;
    }
  }

  private final Vertx vertx;
  private final Behaviour behaviour;
  private final List<Conn> connections = new CopyOnWriteArrayList<>();
  private final AtomicInteger frames = new AtomicInteger();
  private volatile int port;
  private volatile java.util.function.Consumer<Conn> onAccept = c -> { };
  private NetServer server;

  private FakeRemote(Vertx vertx, Behaviour behaviour) {
    this.vertx = vertx;
    this.behaviour = behaviour;
  }

  /** Listening on a free port when this returns. */
  public static FakeRemote start(Vertx vertx, Behaviour behaviour) {
    FakeRemote r = new FakeRemote(vertx, behaviour);
    r.listen(0);
    return r;
  }

  private void listen(int at) {
    server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setReuseAddress(true));
    server.connectHandler(this::accept);
    port = server.listen(at).await().actualPort();
  }

  private void accept(NetSocket socket) {
    Conn conn = new Conn(connections.size(), socket);
    connections.add(conn);
    socket.closeHandler(v -> conn.closed = true);
    onAccept.accept(conn);
    RecordParser parser = RecordParser.newFixed(4);
    int[] expect = {-1};
    parser.handler(chunk -> {
      if (expect[0] < 0) {
        int len = chunk.getInt(0);
        if (len == 0) {
          deliver(conn, Buffer.buffer());
          return;
        }
        expect[0] = len;
        parser.fixedSizeMode(len);
      } else {
        expect[0] = -1;
        parser.fixedSizeMode(4);
        deliver(conn, chunk.copy());
      }
    });
    socket.handler(parser);
  }

  private void deliver(Conn conn, Buffer frame) {
    conn.received.add(frame);
    frames.incrementAndGet();
    behaviour.frame(conn, frame);
  }

  /** Runs for every accepted connection before it reads (e.g. to close it at once). */
  public FakeRemote onAccept(java.util.function.Consumer<Conn> hook) {
    this.onAccept = hook;
    return this;
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:<port>}, as a connector's {@code hosts} entry. */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  /** Every connection accepted so far, in order. */
  public List<Conn> connections() {
    return connections;
  }

  /** Connections currently open. */
  public long open() {
    return connections.stream().filter(c -> !c.isClosed()).count();
  }

  /** Request frames received, over every connection. */
  public int frames() {
    return frames.get();
  }

  /** Stops listening and closes every connection. */
  public void stop() {
    NetServer s = server;
    server = null;
    if (s != null) {
      s.close().await();
    }
    connections.forEach(Conn::close);
  }

  /** Listens again on the same port (after {@link #stop}). */
  public void restart() {
    listen(port);
  }
}
