package dev.strata.framing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.LineClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A Transport used from plain Vert.x code, with no event bus: an upper-casing line server. */
@ExtendWith(VertxExtension.class)
class TransportOverSocketTest {

  @Test
  void servesFramesOverANetSocketWithoutTheEventBus(Vertx vertx) throws Exception {
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    NetServer server = vertx.createNetServer().connectHandler(socket -> {
      Transport<Buffer> t = Transport.over(socket, socket, LineCodec.builder().maxFrameBytes(32).build());
      t.exceptionHandler(err -> {
        errors.add(err);
        socket.close();
      });
      t.handler(line -> t.write(Buffer.buffer(line.toString().toUpperCase())));
    });
    int port = server.listen(0, "127.0.0.1").await().actualPort();
    try (LineClient c = new LineClient(port)) {
      c.send("hello\r\nwor");
      assertThat(c.readLine()).isEqualTo("HELLO");
      c.send("ld\n");
      assertThat(c.readLine()).isEqualTo("WORLD");
      c.send("x".repeat(100) + "\n");
      assertThat(c.closedByServer()).isTrue();
    }
    assertThat(errors).singleElement().isInstanceOf(FrameTooLongException.class);
    server.close().await();
  }

  @Test
  void pausedTransportHoldsFramesAndDeliversThemOnFetch(Vertx vertx) throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    NetServer server = vertx.createNetServer().connectHandler(socket -> {
      Transport<Buffer> t = Transport.over(socket, socket, LineCodec.create());
      t.pause();
      t.handler(line -> {
        got.add(line.toString());
        t.write(Buffer.buffer("got " + line));
      });
      // Deliver one frame per write from the client: backpressure counted in frames.
      socket.drainHandler(null);
      vertx.setPeriodic(5, id -> t.fetch(1));
    });
    int port = server.listen(0, "127.0.0.1").await().actualPort();
    try (LineClient c = new LineClient(port)) {
      c.send("a\nb\nc\n");
      assertThat(c.readLine()).isEqualTo("got a");
      assertThat(c.readLine()).isEqualTo("got b");
      assertThat(c.readLine()).isEqualTo("got c");
    }
    assertThat(got).containsExactly("a", "b", "c");
    server.close().await();
  }
}
