package dev.strata.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile input for every codec: oversized frames, absurd lengths, endless lines, garbage. The decoder
 * reports the documented error, holds no more than its maximum (plus a header), and never throws.
 */
class HostileInputTest {

  private static final int MAX = 1024;

  /** Whether the codec's frames are raw bytes (so it can deliver to a RegionSink). */
  private static boolean bytes(String name) {
    return !name.equals("resp") && !name.equals("json");
  }

  @SuppressWarnings("unchecked")
  private static FrameCodec<Object> codec(String name) {
    Map<String, Object> options = name.equals("fixed") ? Map.of("frameBytes", 16) : Map.of();
    return (FrameCodec<Object>) Codecs.create(name, MAX, options);
  }

  @ParameterizedTest
  @ValueSource(strings = {"lines", "delimiter", "fixed", "length", "varint", "resp", "json", "netstring"})
  void randomGarbageNeverThrowsAndStaysBounded(String name) {
    for (int mode = 0; mode < 4; mode++) {
      boolean resync = (mode & 1) == 0;
      boolean regions = (mode & 2) != 0;
      if (regions && !bytes(name)) {
        continue;
      }
      Random rnd = new Random(RoundTripPropertyTest.BASE_SEED);
      Harness<Object> h = new Harness<>(codec(name), resync, regions);
      for (Buffer chunk : Harness.randomChunks(Generators.bytes(rnd, 1 << 20), rnd, 4096)) {
        h.feed(chunk);
        assertThat(h.decoder.buffered()).as("seed %d", RoundTripPropertyTest.BASE_SEED).isLessThanOrEqualTo(MAX + 64);
      }
      h.finish();
      assertThat(h.errors).allMatch(e -> e instanceof FrameTooLongException || e instanceof CorruptFrameException
          || e instanceof TruncatedFrameException);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"lines", "delimiter", "resp", "netstring"})
  void tenMebibytesWithoutADelimiterAreRefusedUnbuffered(String name) {
    Harness<Object> h = new Harness<>(codec(name), true);
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) '7');
    for (int i = 0; i < 160; i++) {
      h.feed(Buffer.buffer(chunk));
      assertThat(h.decoder.buffered()).isLessThanOrEqualTo(MAX + 64);
    }
    assertThat(h.frames).isEmpty();
    assertThat(h.errors).hasSize(1);
    assertThat(h.errors.get(0)).isInstanceOfAny(FrameTooLongException.class, CorruptFrameException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"lines", "delimiter", "length", "varint", "resp", "json", "netstring"})
  void aFrameOfMaxPlusOneBytesIsTooLongAndTheNextFrameStillDecodes(String name) {
    FrameCodec<Object> c = codec(name);
    Object big = name.equals("json") ? new io.vertx.core.json.JsonObject().put("k", "x".repeat(MAX))
        : Buffer.buffer("x".repeat(MAX + 1));
    Object small = name.equals("json") ? new io.vertx.core.json.JsonObject().put("k", "v") : Buffer.buffer("ok");
    Buffer stream = c.encoder().encode(big).appendBuffer(c.encoder().encode(small));
    for (List<Buffer> chunks : List.of(List.of(stream), Harness.chunksOf(stream, 100), Harness.chunksOf(stream, 1))) {
      for (boolean regions : bytes(name) ? new boolean[] {false, true} : new boolean[] {false}) {
        checkMaxPlusOne(c, chunks, regions, small);
      }
    }
  }

  private static void checkMaxPlusOne(FrameCodec<Object> c, List<Buffer> chunks, boolean regions, Object small) {
    Harness<Object> h = Harness.run(c, true, chunks, true, regions);
    assertThat(h.errors).hasSize(1);
    assertThat(h.errors.get(0)).isInstanceOf(FrameTooLongException.class);
    assertThat(h.errors.get(0).resyncable()).isTrue();
    assertThat(Harness.canon(h.frames)).containsExactly(Harness.canon(small));
    assertThat(h.maxBuffered).isLessThanOrEqualTo(MAX + 16);
  }

  @ParameterizedTest
  @ValueSource(strings = {"length", "json"})
  void lengthOfTwoToTheThirtyOneMinusOneIsTooLongAndMinusOneIsCorrupt(String name) {
    Harness<Object> h = Harness.run(codec(name), true, Buffer.buffer().appendInt(Integer.MAX_VALUE).appendString("abc"));
    assertThat(h.errors).singleElement().isInstanceOf(FrameTooLongException.class);
    assertThat(h.maxBuffered).isZero();
    h = Harness.run(codec(name), true, Buffer.buffer().appendInt(-1).appendInt(2).appendString("ok"));
    assertThat(h.errors).singleElement().isInstanceOf(CorruptFrameException.class);
    assertThat(h.errors.get(0).resyncable()).isFalse();
    assertThat(h.frames).isEmpty();
    assertThat(h.decoder.stopped()).isTrue();
  }

  @Test
  void varintOfTwoToTheThirtyOneMinusOneIsTooLongAndAnOverlongVarintIsCorrupt() {
    Harness<Object> h = Harness.run(codec("varint"), true, Buffer.buffer(new byte[] {-1, -1, -1, -1, 7, 'a'}));
    assertThat(h.errors).singleElement().isInstanceOf(FrameTooLongException.class);
    h = Harness.run(codec("varint"), true, Buffer.buffer(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, 1}));
    assertThat(h.errors).singleElement().isInstanceOf(CorruptFrameException.class);
    assertThat(h.decoder.stopped()).isTrue();
  }

  @Test
  void respAbsurdCountsAndLengthsAllocateNothing() {
    for (String wire : List.of("*2147483647\r\n", "*2\r\n$2147483647\r\n", "~99999999999\r\n", "*3\r\n*3\r\n*1000\r\n")) {
      Harness<Object> h = Harness.run(codec("resp"), true, Buffer.buffer(wire));
      assertThat(h.errors).as(wire).singleElement().isInstanceOf(FrameTooLongException.class);
      assertThat(h.errors.get(0).resyncable()).isFalse();
      assertThat(h.maxBuffered).isZero();
    }
    for (String wire : List.of("$-2\r\n", "*-5\r\n", ":12a\r\n", "$3\r\nabcd\r\n", "*1\r\nPING\r\n", ":1\n",
        "*1\r\n".repeat(40), ":99999999999999999999\r\n")) {
      Harness<Object> h = Harness.run(codec("resp"), true, Buffer.buffer(wire));
      assertThat(h.errors).as(wire).singleElement().isInstanceOf(CorruptFrameException.class);
      assertThat(h.decoder.stopped()).isTrue();
    }
  }

  @Test
  void respTopLevelBulkTooLongIsSkippedWithoutBuffering() {
    Buffer wire = Buffer.buffer("$2000\r\n").appendBuffer(Buffer.buffer(new byte[2000])).appendString("\r\n+OK\r\n");
    for (List<Buffer> chunks : List.of(List.of(wire), Harness.chunksOf(wire, 7))) {
      Harness<Object> h = Harness.run(codec("resp"), true, chunks, true);
      assertThat(h.errors).singleElement().isInstanceOf(FrameTooLongException.class);
      assertThat(h.frames).containsExactly("OK");
      assertThat(h.maxBuffered).isLessThan(64);
    }
  }

  @Test
  void netstringAbsurdLengthsAreRefused() {
    Harness<Object> h = Harness.run(codec("netstring"), true, Buffer.buffer("2147483647:abc"));
    assertThat(h.errors).singleElement().isInstanceOf(FrameTooLongException.class);
    h = Harness.run(codec("netstring"), true, Buffer.buffer("-1:,2:ok,"));
    assertThat(h.errors).singleElement().isInstanceOf(CorruptFrameException.class);
    assertThat(h.frames).isEmpty();
  }
}
