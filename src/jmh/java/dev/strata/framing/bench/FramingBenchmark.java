package dev.strata.framing.bench;

import dev.strata.framing.Decoder;
import dev.strata.framing.FrameSink;
import dev.strata.framing.LengthFieldCodec;
import dev.strata.framing.LineCodec;
import dev.strata.framing.RegionSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The same byte stream (1,024 frames of 16 B, 256 B or 16 KiB, as lines or 4-byte length-prefixed),
 * delivered in 1,460-byte chunks, decoded by Strata, by Netty's decoders, and by Vert.x's
 * {@code RecordParser}. One operation is one frame: the score is frames/s, and {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is bytes allocated per frame. Each side gets its chunks as its transport
 * hands them: Vert.x {@code Buffer}s for Strata and RecordParser, {@code ByteBuf}s for Netty, none
 * with an object made per chunk. Netty runs twice: {@code netty} reads unpooled heap chunks (what
 * Vert.x hands over), {@code nettyPooled} pooled ones (as a Netty server reads with its default
 * allocator), where its frames are slices from Netty's recycler.
 *
 * <p>Strata is measured with both of its sinks: {@code strataBuffer} gets each frame as a
 * {@code Buffer} of its own (as Netty's consumer gets a {@code ByteBuf}), {@code strataRegion} as a
 * region of the chunk or of the decoder's scratch buffer ({@link RegionSink}), which is how Strata's
 * own {@code lines} protocol reads requests.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FramingBenchmark {

  static final int FRAMES = 1024;
  static final int CHUNK = 1460;
  static final int MAX = 1024 * 1024;

  @Param({"lines", "length"})
  public String codec;

  @Param({"16", "256", "16384"})
  public int frameBytes;

  private Buffer[] vertxChunks;
  private ByteBuf[] nettyChunks;
  private ByteBuf[] pooledChunks;
  private NettyDriver nettyPooled;
  private Decoder<Buffer> strata;
  private NettyDriver netty;
  private RecordParser parser;
  private Blackhole hole;
  private int pendingLength;
  private final FrameSink<Buffer> sink = frame -> hole.consume(frame);
  private final RegionSink regions = new RegionSink() {
    @Override
    public void frame(Buffer bytes, int from, int length) {
      hole.consume(bytes);
      hole.consume(from);
      hole.consume(length);
    }
  };
  private Decoder<Buffer> strataForRegions;

  @Setup
  public void setup(Blackhole bh) {
    this.hole = bh;
    byte[] payload = new byte[frameBytes];
    Arrays.fill(payload, (byte) 'x');
    Buffer stream = Buffer.buffer();
    for (int i = 0; i < FRAMES; i++) {
      if (codec.equals("lines")) {
        stream.appendBytes(payload).appendByte((byte) '\n');
      } else {
        stream.appendInt(frameBytes).appendBytes(payload);
      }
    }
    int n = (stream.length() + CHUNK - 1) / CHUNK;
    vertxChunks = new Buffer[n];
    nettyChunks = new ByteBuf[n];
    pooledChunks = new ByteBuf[n];
    for (int i = 0; i < n; i++) {
      byte[] bytes = stream.getBytes(i * CHUNK, Math.min(stream.length(), (i + 1) * CHUNK));
      vertxChunks[i] = Buffer.buffer(bytes);
      nettyChunks[i] = Unpooled.wrappedBuffer(bytes);
      pooledChunks[i] = PooledByteBufAllocator.DEFAULT.heapBuffer(bytes.length).writeBytes(bytes);
    }
    if (codec.equals("lines")) {
      strata = LineCodec.builder().maxFrameBytes(MAX).build().newDecoder();
      strataForRegions = LineCodec.builder().maxFrameBytes(MAX).build().newDecoder();
      netty = NettyDriver.lines(MAX);
      nettyPooled = NettyDriver.lines(MAX);
      parser = RecordParser.newDelimited("\n", bh::consume).maxRecordSize(MAX);
    } else {
      strata = LengthFieldCodec.builder().maxFrameBytes(MAX).build().newDecoder();
      strataForRegions = LengthFieldCodec.builder().maxFrameBytes(MAX).build().newDecoder();
      netty = NettyDriver.length(MAX);
      nettyPooled = NettyDriver.length(MAX);
      parser = RecordParser.newFixed(4);
      parser.handler(record -> {
        if (pendingLength < 0) {
          pendingLength = record.getInt(0);
          parser.fixedSizeMode(pendingLength);
        } else {
          bh.consume(record);
          pendingLength = -1;
          parser.fixedSizeMode(4);
        }
      });
      pendingLength = -1;
    }
  }

  /** Bytes on the wire per frame, to turn frames/s into MB/s. */
  int wireBytesPerFrame() {
    return frameBytes + (codec.equals("lines") ? 1 : 4);
  }

  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public void strataBuffer() {
    for (Buffer chunk : vertxChunks) {
      strata.decode(chunk, sink);
    }
  }

  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public void strataRegion() {
    for (Buffer chunk : vertxChunks) {
      strataForRegions.decode(chunk, regions);
    }
  }

  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public void netty(Blackhole bh) throws Exception {
    for (ByteBuf chunk : nettyChunks) {
      netty.read(chunk.retain().readerIndex(0), bh); // the decoder releases it, as a channelRead would
    }
  }

  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public void nettyPooled(Blackhole bh) throws Exception {
    for (ByteBuf chunk : pooledChunks) {
      nettyPooled.read(chunk.retain().readerIndex(0), bh);
    }
  }

  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public void recordParser() {
    for (Buffer chunk : vertxChunks) {
      parser.handle(chunk);
    }
  }
}
