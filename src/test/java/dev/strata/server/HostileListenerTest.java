package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.framing.Codecs;
import dev.strata.framing.Decoder;
import dev.strata.framing.FrameCodec;
import dev.strata.framing.FrameSink;
import dev.strata.framing.FramingException;
import dev.strata.framing.RespError;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile bytes against every codec through a real listener configured for it (max 1,024 bytes, one
 * listener per error policy, an application that echoes): the bad frame gets the protocol's error,
 * then either the connection closes ({@code close}) or the next frame is answered
 * ({@code error-and-resync}); garbage never takes the server down nor disturbs another connection.
 */
@ExtendWith(VertxExtension.class)
class HostileListenerTest {

  private static final int MAX = 1024;
  private static final long SEED = Long.getLong("strata.seed", System.nanoTime());

  private Strata strata;

  @AfterEach
  void stop() {
    if (strata != null) {
      strata.stop().await();
    }
  }

  private static Map<String, Object> options(String codec) {
    return codec.equals("fixed") ? Map.of("frameBytes", 16) : Map.of();
  }

  private void start(Vertx vertx, String codec) {
    vertx.eventBus().consumer("app.mirror", m -> m.reply(m.body())).completion().await();
    JsonArray listeners = new JsonArray();
    for (String policy : List.of("close", "error-and-resync")) {
      listeners.add(TestNodes.listener(policy, codec, "app.mirror").put("maxFrameBytes", MAX)
          .put("codecOptions", new JsonObject(options(codec))).put("onFrameError", policy));
    }
    strata = TestNodes.start(vertx, new JsonObject().put("listeners", listeners));
  }

  /** A small valid frame and one just over the maximum, as the codec's frames. */
  private static Object small(String codec) {
    return switch (codec) {
      case "resp" -> new JsonArray().add(Buffer.buffer("PING"));
      case "json" -> new JsonObject().put("k", "v");
      case "fixed" -> Buffer.buffer("0123456789abcdef");
      default -> Buffer.buffer("ok");
    };
  }

  private static Object big(String codec) {
    String x = "x".repeat(MAX + 1);
    return switch (codec) {
      case "resp" -> new JsonArray().add(Buffer.buffer("ECHO")).add(Buffer.buffer(x));
      case "json" -> new JsonObject().put("k", x);
      default -> Buffer.buffer(x);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"lines", "delimiter", "length", "varint", "resp", "json", "netstring"})
  void anOversizedFrameIsAnsweredWithAnErrorThenClosesOrResyncs(String codec, Vertx vertx) throws Exception {
    start(vertx, codec);
    FrameCodec<Object> c = codec(codec);
    Buffer wire = c.encoder().encode(big(codec)).appendBuffer(c.encoder().encode(small(codec)));

    try (Peer closing = new Peer(strata.port("close"), c); Peer resyncing = new Peer(strata.port("error-and-resync"), c)) {
      closing.send(wire);
      assertThat(isError(closing.next())).as("error frame, close policy").isTrue();
      assertThat(closing.closedByServer()).isTrue();

      resyncing.send(wire);
      assertThat(isError(resyncing.next())).as("error frame, resync policy").isTrue();
      if (codec.equals("resp")) {
        // documented: an oversized bulk string inside a command is not resyncable (redis-server closes too)
        assertThat(resyncing.closedByServer()).isTrue();
        return;
      }
      assertThat(Peer.canon(resyncing.next())).isEqualTo(Peer.canon(small(codec)));
      resyncing.send(c.encoder().encode(small(codec)));
      assertThat(Peer.canon(resyncing.next())).as("still open").isEqualTo(Peer.canon(small(codec)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"lines", "delimiter", "fixed", "length", "varint", "resp", "json", "netstring"})
  void garbageNeverDisturbsAnotherConnection(String codec, Vertx vertx) throws Exception {
    start(vertx, codec);
    FrameCodec<Object> c = codec(codec);
    Random rnd = new Random(SEED);
    for (String policy : List.of("close", "error-and-resync")) {
      try (Peer hostile = new Peer(strata.port(policy), c); Peer good = new Peer(strata.port(policy), c)) {
        for (int i = 0; i < 64 && hostile.isOpen(); i++) {
          byte[] junk = new byte[1 + rnd.nextInt(16 * 1024)];
          rnd.nextBytes(junk);
          hostile.trySend(junk);
          good.send(c.encoder().encode(small(codec)));
          assertThat(Peer.canon(good.next())).as("seed %d, policy %s, round %d", SEED, policy, i)
              .isEqualTo(Peer.canon(small(codec)));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"length", "json"})
  void absurdLengthsAreRefusedAtOnce(String codec, Vertx vertx) throws Exception {
    start(vertx, codec);
    FrameCodec<Object> c = codec(codec);
    for (int length : new int[] {Integer.MAX_VALUE, -1}) {
      try (Peer p = new Peer(strata.port("close"), c)) {
        p.send(Buffer.buffer().appendInt(length).appendString("abc"));
        assertThat(isError(p.next())).as("length %d", length).isTrue();
        assertThat(p.closedByServer()).isTrue();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static FrameCodec<Object> codec(String name) {
    return (FrameCodec<Object>) Codecs.create(name, 1 << 20, options(name));
  }

  /** The protocol's error frame: {@code -ERR ...} bytes or line, a RESP error, {@code {"error": ...}}. */
  private static boolean isError(Object frame) {
    if (frame instanceof RespError) {
      return true;
    }
    if (frame instanceof JsonObject o) {
      return o.containsKey("error");
    }
    return frame instanceof Buffer b && b.length() > 0 && b.getByte(0) == '-';
  }

  /** A raw TCP peer that writes encoded frames and decodes replies with the same codec. */
  private static final class Peer implements AutoCloseable, FrameSink<Object> {
    private final Socket socket = new Socket();
    private final InputStream in;
    private final Decoder<Object> decoder;
    private final List<Object> frames = new ArrayList<>();
    private boolean eof;

    Peer(int port, FrameCodec<Object> codec) throws IOException {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(10_000);
      in = socket.getInputStream();
      decoder = codec.newDecoder();
    }

    void send(Buffer bytes) throws IOException {
      socket.getOutputStream().write(bytes.getBytes());
      socket.getOutputStream().flush();
    }

    /** Writes unless the server has closed the connection (then the write may fail: that is fine). */
    void trySend(byte[] bytes) {
      try {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
      } catch (IOException closedByServer) {
        eof = true;
      }
    }

    boolean isOpen() {
      return !eof;
    }

    /** The next reply frame. */
    Object next() throws IOException {
      byte[] buf = new byte[64 * 1024];
      while (frames.isEmpty()) {
        int n = in.read(buf);
        if (n < 0) {
          throw new IOException("closed before a reply");
        }
        decoder.decode(Buffer.buffer(java.util.Arrays.copyOf(buf, n)), this);
      }
      return frames.remove(0);
    }

    boolean closedByServer() throws IOException {
      try {
        return in.read() == -1;
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException reset) {
        return true;
      }
    }

    static Object canon(Object frame) {
      if (frame instanceof JsonArray a) {
        List<Object> l = new ArrayList<>();
        a.getList().forEach(o -> l.add(canon(o)));
        return l;
      }
      return frame instanceof Buffer b ? b.toString() : String.valueOf(frame);
    }

    @Override
    public void frame(Object frame) {
      frames.add(frame);
    }

    @Override
    public boolean error(FramingException error) {
      throw new AssertionError("the server sent a bad frame: " + error.getMessage());
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
