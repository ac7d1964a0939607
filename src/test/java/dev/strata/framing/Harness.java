package dev.strata.framing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Drives a decoder without sockets: chunks in, frames and errors collected. In region mode (byte
 * codecs only) the decoder delivers to a {@link RegionSink} that copies each region during the call,
 * as a region consumer must, so any region reused too early shows up as a wrong frame.
 */
final class Harness<F> implements FrameSink<F> {

  final List<F> frames = new ArrayList<>();
  final List<FramingException> errors = new ArrayList<>();
  final boolean resync;
  final Decoder<F> decoder;
  private final FrameSink<F> sink;
  int maxBuffered;

  Harness(FrameCodec<F> codec, boolean resync) {
    this(codec, resync, false);
  }

  @SuppressWarnings("unchecked")
  Harness(FrameCodec<F> codec, boolean resync, boolean regions) {
    this.decoder = codec.newDecoder();
    this.resync = resync;
    this.sink = regions ? (FrameSink<F>) new Regions((Harness<Buffer>) this) : this;
  }

  /** The region mode's sink: checks the region's bounds, copies it, hands the copy on. */
  private record Regions(Harness<Buffer> harness) implements RegionSink {
    @Override
    public void frame(Buffer bytes, int from, int length) {
      if (from < 0 || length < 0 || from + length > bytes.length()) {
        throw new AssertionError("region [" + from + ", +" + length + ") outside a buffer of " + bytes.length());
      }
      harness.frame(Buffer.buffer(bytes.getBytes(from, from + length)));
    }

    @Override
    public boolean error(FramingException error) {
      return harness.error(error);
    }
  }

  static <F> Harness<F> run(FrameCodec<F> codec, boolean resync, List<Buffer> chunks, boolean finish, boolean regions) {
    Harness<F> h = new Harness<>(codec, resync, regions);
    for (Buffer c : chunks) {
      h.feed(c);
    }
    if (finish) {
      h.finish();
    }
    return h;
  }

  void finish() {
    decoder.finish(sink);
  }

  static <F> Harness<F> run(FrameCodec<F> codec, boolean resync, List<Buffer> chunks, boolean finish) {
    return run(codec, resync, chunks, finish, false);
  }

  static <F> Harness<F> run(FrameCodec<F> codec, boolean resync, Buffer stream) {
    return run(codec, resync, List.of(stream), true);
  }

  Harness<F> feed(Buffer chunk) {
    decoder.decode(chunk, sink);
    maxBuffered = Math.max(maxBuffered, decoder.buffered());
    return this;
  }

  @Override
  public void frame(F frame) {
    frames.add(frame);
  }

  @Override
  public boolean error(FramingException error) {
    errors.add(error);
    return resync;
  }

  /** Chunks of a stream cut at the given offsets (sorted, may repeat). Each chunk is a fresh copy. */
  static List<Buffer> cut(Buffer stream, int... offsets) {
    List<Buffer> out = new ArrayList<>();
    int from = 0;
    for (int at : offsets) {
      out.add(copy(stream, from, at));
      from = at;
    }
    out.add(copy(stream, from, stream.length()));
    return out;
  }

  static List<Buffer> randomChunks(Buffer stream, Random rnd, int maxChunk) {
    List<Buffer> out = new ArrayList<>();
    int from = 0;
    while (from < stream.length()) {
      int n = Math.min(stream.length() - from, 1 + rnd.nextInt(maxChunk));
      out.add(copy(stream, from, from + n));
      from += n;
    }
    return out;
  }

  static List<Buffer> chunksOf(Buffer stream, int size) {
    List<Buffer> out = new ArrayList<>();
    for (int from = 0; from < stream.length(); from += size) {
      out.add(copy(stream, from, Math.min(stream.length(), from + size)));
    }
    return out;
  }

  /** A copy, as Vert.x hands chunks: an unpooled heap buffer of its own. */
  static Buffer copy(Buffer b, int from, int to) {
    return Buffer.buffer(b.getBytes(from, to));
  }

  static Buffer bytes(String s) {
    return Buffer.buffer(s);
  }

  /** A comparable, printable form of any frame: Buffers become hex, arrays lists. */
  static Object canon(Object v) {
    if (v instanceof Buffer b) {
      return "b:" + HexFormat.of().formatHex(b.getBytes());
    }
    if (v instanceof JsonArray a) {
      List<Object> l = new ArrayList<>();
      for (Object o : a.getList()) {
        l.add(canon(o));
      }
      return l;
    }
    if (v instanceof JsonObject j) {
      return "j:" + j.encode();
    }
    if (v == null || v == Resp.NULL) {
      return "nil";
    }
    return v.getClass().getSimpleName() + ":" + v;
  }

  static List<Object> canon(List<?> frames) {
    List<Object> out = new ArrayList<>();
    for (Object f : frames) {
      out.add(canon(f));
    }
    return out;
  }
}
