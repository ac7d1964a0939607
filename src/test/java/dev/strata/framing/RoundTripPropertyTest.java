package dev.strata.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every codec: any frames, encoded, then split anywhere (every offset, one byte at a time, at
 * random) decode to the same frames; and a stream ending at any offset gives the whole frames before
 * it and a truncated-frame error unless it ends on a boundary. Seeded: a failure names its seed;
 * replay it with {@code -Dstrata.seed=<seed> -Dstrata.seeds=1}.
 */
class RoundTripPropertyTest {

  static final long BASE_SEED = Long.getLong("strata.seed", System.nanoTime());
  static final int SEEDS = Integer.getInteger("strata.seeds", 30);

  /** A codec, a frame generator, and the frame the decoder gives back for a generated one. */
  record Case(String name, FrameCodec<Object> codec, Function<Random, Object> gen, Function<Object, Object> back) {
    @Override
    public String toString() {
      return name;
    }

    /** Whether frames are raw bytes, so the decoder can deliver them to a {@link RegionSink}. */
    boolean bytes() {
      return !name.equals("resp") && !name.equals("json");
    }
  }

  @SuppressWarnings("unchecked")
  static Case of(String name, FrameCodec<?> codec, Function<Random, Object> gen, Function<Object, Object> back) {
    return new Case(name, (FrameCodec<Object>) codec, gen, back);
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    cases.add(of("lines", LineCodec.create(), Generators::line, f -> f));
    cases.add(of("lines crlf", LineCodec.builder().crlf(true).build(), Generators::line, f -> f));
    cases.add(of("lines keep delimiter", LineCodec.builder().stripDelimiter(false).build(), Generators::line,
        f -> ((Buffer) f).copy().appendString("\n")));
    cases.add(of("delimiter", DelimiterCodec.builder().delimiter("\\r\\n").delimiter("|").delimiter("END").build(),
        r -> Generators.from(r, Generators.size(r), Generators.allBut("\r\n|E")), f -> f));
    cases.add(of("delimiter keep, \\r\\n and \\n", DelimiterCodec.builder().delimiter("\\r\\n").delimiter("\\n")
            .stripDelimiter(false).build(),
        r -> Generators.from(r, Generators.size(r), Generators.allBut("\r\n")), f -> ((Buffer) f).copy().appendString("\r\n")));
    cases.add(of("fixed", FixedLengthCodec.of(7), r -> Generators.bytes(r, 7), f -> f));
    for (LengthFieldCodec c : List.of(
        LengthFieldCodec.create(),
        LengthFieldCodec.builder().lengthFieldOffset(1).lengthFieldBytes(2).byteOrder("little").initialBytesToStrip(0).build(),
        LengthFieldCodec.builder().lengthFieldBytes(1).lengthIncludesHeader(true).build(),
        LengthFieldCodec.builder().lengthFieldBytes(3).lengthAdjustment(2).initialBytesToStrip(5).build(),
        LengthFieldCodec.builder().lengthFieldOffset(2).lengthFieldBytes(8).byteOrder("little").initialBytesToStrip(1).build())) {
      int keep = Math.max(0, c.headerBytes() - c.strip);
      int cap = c.fieldBytes == 1 ? 200 : Integer.MAX_VALUE;
      cases.add(of("length " + c.offset + "/" + c.fieldBytes + "/" + (c.littleEndian ? "LE" : "BE") + "/adj " + c.adjustment
              + "/strip " + c.strip, c,
          r -> Generators.bytes(r, keep + Math.min(cap, Generators.size(r))),
          f -> {
            Buffer wire = c.encoder().encode((Buffer) f);
            return wire.slice(c.strip, wire.length());
          }));
    }
    cases.add(of("varint", VarintCodec.create(), r -> Generators.bytes(r, r.nextInt(10) == 0 ? 16_384 + r.nextInt(100) : Generators.size(r)), f -> f));
    cases.add(of("resp", RespCodec.create(), Generators::respTop, f -> f));
    cases.add(of("json", JsonCodec.create(), Generators::json, f -> f));
    cases.add(of("netstring", NetstringCodec.create(), r -> Generators.bytes(r, Generators.size(r)), f -> f));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void framesSplitAnywhereDecodeToTheSameFrames(Case c) {
    forEachSeed(c, SEEDS, (rnd, frames, stream, boundaries, expected) -> {
      check(c, List.of(stream), expected, "whole");
      if (stream.length() <= 1500) {
        for (int at = 0; at <= stream.length(); at++) {
          check(c, Harness.cut(stream, at), expected, "cut at " + at);
        }
        check(c, Harness.chunksOf(stream, 1), expected, "one byte at a time");
      } else {
        for (int i = 0; i < 40; i++) {
          check(c, Harness.cut(stream, rnd.nextInt(stream.length() + 1)), expected, "random cut");
        }
      }
      for (int i = 0; i < 5; i++) {
        check(c, Harness.randomChunks(stream, rnd, 1 + rnd.nextInt(64)), expected, "random chunks");
      }
      check(c, Harness.chunksOf(stream, 1460), expected, "1460-byte chunks");
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void endOfStreamAtAnyOffsetIsAWholeFrameOrTruncated(Case c) {
    forEachSeed(c, Math.max(1, SEEDS / 3), (rnd, frames, stream, boundaries, expected) -> {
      int n = stream.length();
      for (int i = 0; i <= Math.min(n, 400); i++) {
        int cut = n <= 400 ? i : rnd.nextInt(n + 1);
        Harness<Object> h = Harness.run(c.codec, false, Harness.randomChunks(stream.slice(0, cut), rnd, 50), true,
            c.bytes() && rnd.nextBoolean());
        int whole = 0;
        while (whole < boundaries.size() && boundaries.get(whole) <= cut) {
          whole++;
        }
        assertThat(Harness.canon(h.frames)).as("frames before EOF at %d", cut).isEqualTo(expected.subList(0, whole));
        if (new HashSet<>(boundaries).contains(cut) || cut == 0) {
          assertThat(h.errors).as("EOF on a boundary at %d", cut).isEmpty();
        } else {
          assertThat(h.errors).as("EOF inside a frame at %d", cut).hasSize(1);
          assertThat(h.errors.get(0)).isInstanceOf(TruncatedFrameException.class);
        }
      }
    });
  }

  /** Decodes the chunks to an ordinary sink and, for byte codecs, to a {@link RegionSink} too. */
  private static void check(Case c, List<Buffer> chunks, List<Object> expected, String how) {
    for (boolean regions : c.bytes() ? new boolean[] {false, true} : new boolean[] {false}) {
      String as = regions ? how + " (regions)" : how;
      Harness<Object> h = Harness.run(c.codec, false, chunks, true, regions);
      assertThat(h.errors).as(as).isEmpty();
      assertThat(Harness.canon(h.frames)).as(as).isEqualTo(expected);
    }
  }

  interface Property {
    void check(Random rnd, List<Object> frames, Buffer stream, List<Integer> boundaries, List<Object> expected);
  }

  private static void forEachSeed(Case c, int seeds, Property p) {
    for (int i = 0; i < seeds; i++) {
      long seed = BASE_SEED + i;
      Random rnd = new Random(seed);
      List<Object> frames = new ArrayList<>();
      List<Object> expected = new ArrayList<>();
      List<Integer> boundaries = new ArrayList<>();
      Buffer stream = Buffer.buffer();
      int count = rnd.nextInt(i == 0 ? 1 : 9);
      for (int k = 0; k < count; k++) {
        Object f = c.gen.apply(rnd);
        frames.add(f);
        expected.add(Harness.canon(c.back.apply(f)));
        c.codec.encoder().encode(f, stream);
        boundaries.add(stream.length());
      }
      try {
        p.check(rnd, frames, stream, boundaries, expected);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("codec '" + c.name + "' failed with seed " + seed
            + " (replay: -Dstrata.seed=" + seed + " -Dstrata.seeds=1): " + e.getMessage(), e);
      }
    }
  }

  static Set<Integer> set(List<Integer> l) {
    return new HashSet<>(l);
  }
}
