package dev.strata.framing.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LineBasedFrameDecoder;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Drives a Netty frame decoder the way {@code ByteToMessageDecoder.channelRead} does, minus the
 * pipeline: the real {@code MERGE_CUMULATOR} with the default allocator, the decode loop of
 * {@code callDecode}, release of an emptied cumulation and {@code discardSomeReadBytes} every 16 reads.
 * The decoders' protected {@code decode(ctx, ByteBuf)} is called directly (neither uses its context on
 * the success path), so no {@code EmbeddedChannel} or pipeline cost is charged to Netty.
 */
abstract class NettyDriver {

  private final ByteToMessageDecoder.Cumulator cumulator = ByteToMessageDecoder.MERGE_CUMULATOR;
  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
  private ByteBuf cumulation;
  private int reads;

  /** One frame from the cumulation, or null when it needs more bytes. */
  abstract Object decode(ByteBuf in) throws Exception;

  /** A socket read: the chunk is consumed (and released) like a channelRead message. */
  final void read(ByteBuf chunk, Blackhole bh) throws Exception {
    cumulation = cumulation == null ? chunk : cumulator.cumulate(alloc, cumulation, chunk);
    ByteBuf in = cumulation;
    while (in.isReadable()) {
      int before = in.readableBytes();
      Object frame = decode(in);
      if (frame == null) {
        if (before == in.readableBytes()) {
          break;
        }
        continue;
      }
      bh.consume(frame);
      ((ByteBuf) frame).release();
    }
    if (!in.isReadable()) {
      reads = 0;
      cumulation.release();
      cumulation = null;
    } else if (++reads >= 16) {
      reads = 0;
      if (cumulation.refCnt() == 1) { // as ByteToMessageDecoder: never compact a buffer shared with frames
        cumulation.discardSomeReadBytes();
      }
    }
  }

  static NettyDriver lines(int max) {
    return new NettyDriver() {
      private final Lines lines = new Lines(max);

      @Override
      Object decode(ByteBuf in) throws Exception {
        return lines.decodeOne(in);
      }
    };
  }

  static NettyDriver length(int max) {
    return new NettyDriver() {
      private final Length length = new Length(max);

      @Override
      Object decode(ByteBuf in) throws Exception {
        return length.decodeOne(in);
      }
    };
  }

  /** Exposes the protected decode of Netty's line decoder. */
  static final class Lines extends LineBasedFrameDecoder {
    Lines(int max) {
      super(max, true, false);
    }

    Object decodeOne(ByteBuf in) throws Exception {
      return decode(null, in);
    }
  }

  /** Exposes the protected decode of Netty's length-field decoder (4-byte big-endian, stripped). */
  static final class Length extends LengthFieldBasedFrameDecoder {
    Length(int max) {
      super(max + 4, 0, 4, 0, 4);
    }

    Object decodeOne(ByteBuf in) throws Exception {
      return decode(null, in);
    }
  }
}
