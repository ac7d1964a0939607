package dev.strata.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.framing.Codecs;
import dev.strata.framing.FrameCodec;
import dev.strata.support.CodecPeer;
import dev.strata.support.TestNodes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The framing layer's hostile input, every codec, against one real node while its canary does round
 * trips. Each codec has two listeners (max 1,024 bytes, an application that echoes): one with the
 * {@code close} policy, one with {@code error-and-resync}. Frames exactly at the maximum are answered,
 * one byte more gets the protocol's error; frames split at every offset are answered as if whole;
 * garbage, negative and huge lengths and bad UTF-8 get an error (or a close), never a crash and never
 * a disturbed neighbour. After each: the canary answers, nothing is left in the registry.
 */
class HostileFramingLayerTest {

  private static final int MAX = 1024;
  private static final long SEED = Long.getLong("strata.seed", System.nanoTime());
  private static final List<String> CODECS = List.of("lines", "delimiter", "fixed", "length", "varint", "resp", "json",
      "netstring");

  private static HostileNode node;

  @BeforeAll
  static void start() {
    JsonArray listeners = new JsonArray();
    for (String codec : CODECS) {
      for (String policy : List.of("close", "error-and-resync")) {
        listeners.add(TestNodes.listener(codec + "-" + policy, codec, "app.mirror").put("maxFrameBytes", MAX)
            .put("codecOptions", new JsonObject(options(codec))).put("onFrameError", policy));
      }
    }
    node = new HostileNode(listeners, new JsonObject());
  }

  @AfterEach
  void settle() {
    node.settle();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static Map<String, Object> options(String codec) {
    return codec.equals("fixed") ? Map.of("frameBytes", 16) : Map.of();
  }

  private static CodecPeer peer(String codec, String policy) throws Exception {
    return new CodecPeer(node.port(codec + "-" + policy), codec(codec));
  }

  @SuppressWarnings("unchecked")
  private static FrameCodec<Object> codec(String name) {
    return (FrameCodec<Object>) Codecs.create(name, 1 << 20, options(name));
  }

  private static Object small(String codec, int i) {
    return switch (codec) {
      case "resp" -> new JsonArray().add(Buffer.buffer("PING")).add(Buffer.buffer("p" + i));
      case "json" -> new JsonObject().put("k", "v" + i);
      case "fixed" -> Buffer.buffer(String.format("%016d", i));
      default -> Buffer.buffer("ok" + i);
    };
  }

  /** A frame whose size, as the codec measures it against {@code maxFrameBytes}, is {@code size}. */
  private static Object sized(String codec, int size) {
    return switch (codec) {
      // resp measures the whole command: *2 $4 ECHO $n <n bytes> = 19 + digits(n) + n bytes
      case "resp" -> {
        int n = size - 19 - 4;
        yield new JsonArray().add(Buffer.buffer("ECHO")).add(Buffer.buffer("x".repeat(n)));
      }
      case "json" -> new JsonObject().put("k", "x".repeat(size - 8)); // {"k":"..."}
      default -> Buffer.buffer("x".repeat(size));
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"lines", "delimiter", "length", "varint", "resp", "json", "netstring"})
  void aFrameAtTheMaximumIsAnsweredAndOneByteMoreIsRefused(String codec) throws Exception {
    FrameCodec<Object> c = codec(codec);
    try (CodecPeer p = peer(codec, "close")) {
      Object atMax = sized(codec, MAX);
      p.send(c.encoder().encode(atMax));
      assertThat(CodecPeer.canon(p.next())).as("%s frame of exactly %d bytes", codec, MAX)
          .isEqualTo(CodecPeer.canon(atMax));
    }
    for (String policy : List.of("close", "error-and-resync")) {
      try (CodecPeer p = peer(codec, policy)) {
        p.send(c.encoder().encode(sized(codec, MAX + 1)).appendBuffer(c.encoder().encode(small(codec, 1))));
        assertThat(CodecPeer.isError(p.next())).as("%s, %s: error for %d bytes", codec, policy, MAX + 1).isTrue();
        if (policy.equals("close") || codec.equals("resp")) { // resp: an oversized bulk is not resyncable, as in Redis
          assertThat(p.closedByServer()).isTrue();
        } else {
          assertThat(CodecPeer.canon(p.next())).isEqualTo(CodecPeer.canon(small(codec, 1)));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"lines", "delimiter", "fixed", "length", "varint", "resp", "json", "netstring"})
  void framesSplitAtEveryOffsetAreAnsweredAsIfWhole(String codec) throws Exception {
    FrameCodec<Object> c = codec(codec);
    Buffer wire = Buffer.buffer();
    for (int i = 0; i < 3; i++) {
      wire.appendBuffer(c.encoder().encode(small(codec, i)));
    }
    try (CodecPeer p = peer(codec, "close")) {
      p.socket().setTcpNoDelay(true);
      for (int at = 1; at < wire.length(); at++) {
        p.send(wire.getBuffer(0, at));
        p.send(wire.getBuffer(at, wire.length()));
        for (int i = 0; i < 3; i++) {
          assertThat(CodecPeer.canon(p.next())).as("%s split at %d, frame %d", codec, at, i)
              .isEqualTo(CodecPeer.canon(small(codec, i)));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"lines", "delimiter", "fixed", "length", "varint", "resp", "json", "netstring"})
  void garbageGetsAnErrorOrACloseAndNeverDisturbsAnotherConnection(String codec) throws Exception {
    FrameCodec<Object> c = codec(codec);
    Random rnd = new Random(SEED);
    for (String policy : List.of("close", "error-and-resync")) {
      try (CodecPeer hostile = peer(codec, policy); CodecPeer good = peer(codec, policy)) {
        for (int i = 0; i < 64 && hostile.isOpen(); i++) {
          byte[] junk = new byte[1 + rnd.nextInt(16 * 1024)];
          rnd.nextBytes(junk);
          hostile.trySend(junk);
          good.send(c.encoder().encode(small(codec, i)));
          assertThat(CodecPeer.canon(good.next())).as("seed %d, %s, round %d", SEED, policy, i)
              .isEqualTo(CodecPeer.canon(small(codec, i)));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"length", "json", "varint", "resp", "netstring"})
  void negativeAndHugeLengthsAreRefusedAtOnce(String codec) throws Exception {
    List<Buffer> headers = switch (codec) {
      case "length", "json" -> List.of(Buffer.buffer().appendInt(-1), Buffer.buffer().appendInt(Integer.MAX_VALUE));
      case "varint" -> List.of(Buffer.buffer(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1}),
          Buffer.buffer(new byte[] {-1, -1, -1, -1, 7})); // overlong; 2^31-1
      case "resp" -> List.of(Buffer.buffer("*1\r\n$-5\r\n"), Buffer.buffer("*-7\r\n"), Buffer.buffer("*3000000000\r\n"),
          Buffer.buffer("*1\r\n$3000000000\r\n"));
      default -> List.of(Buffer.buffer("-5:"), Buffer.buffer("99999999999999999999:"));
    };
    for (Buffer header : headers) {
      try (CodecPeer p = peer(codec, "close")) {
        p.send(header.copy().appendString("abc"));
        assertThat(CodecPeer.isError(p.next())).as("%s header %s", codec, header).isTrue();
        assertThat(p.closedByServer()).isTrue();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"lines", "resp", "json", "netstring"})
  void badUtf8GetsOneAnswerAndTheConnectionGoesOn(String codec) throws Exception {
    FrameCodec<Object> c = codec(codec);
    byte[] bad = {'a', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 'z'};
    Buffer wire = switch (codec) {
      case "resp" -> Buffer.buffer("*2\r\n$4\r\nECHO\r\n$5\r\n").appendBytes(bad).appendString("\r\n");
      case "json" -> Buffer.buffer().appendInt(13).appendString("{\"k\":\"").appendBytes(bad).appendString("\"}");
      case "netstring" -> Buffer.buffer("5:").appendBytes(bad).appendString(",");
      default -> Buffer.buffer(bad).appendString("\n");
    };
    try (CodecPeer p = peer(codec, "error-and-resync")) {
      p.send(wire);
      assertThat(p.next()).as("%s: one answer (the bytes back, or an error)", codec).isNotNull();
      p.send(c.encoder().encode(small(codec, 7)));
      assertThat(CodecPeer.canon(p.next())).isEqualTo(CodecPeer.canon(small(codec, 7)));
    }
  }
}
