package dev.strata.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The same random byte streams, in the same random chunks, through Strata's decoders (resync policy)
 * and Netty's {@code LineBasedFrameDecoder} / {@code LengthFieldBasedFrameDecoder} (failFast off, as
 * both skip a too-long frame): the same frames come out. Seeded like the property tests.
 */
class NettyCrossCheckTest {

  private static final int MAX = 32;

  @Test
  void linesDecodeLikeNettysLineBasedFrameDecoder() {
    for (int s = 0; s < 200; s++) {
      long seed = RoundTripPropertyTest.BASE_SEED + s;
      Random rnd = new Random(seed);
      Buffer stream = Buffer.buffer();
      int lines = rnd.nextInt(30);
      for (int i = 0; i < lines; i++) {
        // a line's bytes before its LF: up to max, or clearly too long (max + 1 bytes ending in CR is
        // left out: Netty discards that valid CRLF line when it arrives cut after the CR, a Netty quirk)
        int len = rnd.nextInt(4) == 0 ? MAX + 2 + rnd.nextInt(3 * MAX) : rnd.nextInt(MAX + 1);
        stream.appendBuffer(Generators.from(rnd, len, new byte[] {'a', 'b', '\r', ' '}));
        stream.appendByte((byte) '\n');
      }
      stream.appendBuffer(Generators.from(rnd, rnd.nextInt(MAX), new byte[] {'a', '\r'}));
      compare(seed, rnd, stream, LineCodec.builder().maxFrameBytes(MAX).build(),
          () -> new LineBasedFrameDecoder(MAX, true, false));
    }
  }

  @Test
  void lengthFieldsDecodeLikeNettysLengthFieldBasedFrameDecoder() {
    record Config(int offset, int bytes, ByteOrder order, int adjustment, int strip) { }
    List<Config> configs = List.of(
        new Config(0, 4, ByteOrder.BIG_ENDIAN, 0, 4),
        new Config(0, 2, ByteOrder.LITTLE_ENDIAN, 0, 0),
        new Config(1, 1, ByteOrder.BIG_ENDIAN, 3, 2),
        new Config(2, 3, ByteOrder.BIG_ENDIAN, 0, 5),
        new Config(0, 8, ByteOrder.LITTLE_ENDIAN, 1, 8));
    for (int s = 0; s < 200; s++) {
      long seed = RoundTripPropertyTest.BASE_SEED + s;
      Random rnd = new Random(seed);
      Config c = configs.get(s % configs.size());
      LengthFieldCodec strata = LengthFieldCodec.builder().maxFrameBytes(MAX).lengthFieldOffset(c.offset)
          .lengthFieldBytes(c.bytes).byteOrder(c.order).lengthAdjustment(c.adjustment).initialBytesToStrip(c.strip).build();
      int header = c.offset + c.bytes;
      Buffer stream = Buffer.buffer();
      int frames = rnd.nextInt(20);
      for (int i = 0; i < frames; i++) {
        long wire = Math.max(header, c.strip) + (rnd.nextInt(4) == 0 ? MAX + rnd.nextInt(2 * MAX) : rnd.nextInt(MAX - 8));
        long value = wire - c.adjustment - header;
        if (value < 0 || c.bytes == 1 && value > 255) {
          continue;
        }
        ByteBuf h = Unpooled.buffer();
        h.writeBytes(Generators.bytes(rnd, c.offset).getBytes());
        switch (c.bytes) {
          case 1 -> h.writeByte((int) value);
          case 2 -> h.writeShortLE((int) value);
          case 3 -> h.writeMedium((int) value);
          case 4 -> h.writeInt((int) value);
          default -> h.writeLongLE(value);
        }
        stream.appendBytes(h.array(), 0, h.writerIndex());
        stream.appendBuffer(Generators.bytes(rnd, (int) wire - header));
      }
      if (rnd.nextBoolean()) {
        stream.appendBuffer(Generators.bytes(rnd, rnd.nextInt(64))); // random garbage at the end
      }
      compare(seed, rnd, stream, strata, () -> new LengthFieldBasedFrameDecoder(
          c.order, MAX + c.strip, c.offset, c.bytes, c.adjustment, c.strip, false));
    }
  }

  private static boolean feed(EmbeddedChannel ch, ByteBuf bytes) {
    try {
      ch.writeInbound(bytes);
      return true;
    } catch (RuntimeException tooLongOrCorrupt) {
      return false;
    }
  }

  private static void compare(long seed, Random rnd, Buffer stream, FrameCodec<Buffer> codec,
                              Supplier<io.netty.channel.ChannelHandler> netty) {
    List<Buffer> chunks = Harness.randomChunks(stream, rnd, 1 + rnd.nextInt(100));
    Harness<Buffer> ours = Harness.run(codec, true, chunks, false, rnd.nextBoolean());
    List<String> theirs = new ArrayList<>();
    EmbeddedChannel ch = new EmbeddedChannel(netty.get());
    for (Buffer c : chunks) {
      // Netty reports an error by throwing out of its read, leaving the rest of that read undecoded
      // until the next one: an empty read lets it go on, as the resync policy does within the chunk.
      ByteBuf next = Unpooled.wrappedBuffer(c.getBytes());
      for (int tries = 0; tries < 1000 && !feed(ch, next); tries++) {
        next = Unpooled.EMPTY_BUFFER;
      }
      for (ByteBuf f; (f = ch.readInbound()) != null; f.release()) {
        theirs.add(HexFormat.of().formatHex(io.netty.buffer.ByteBufUtil.getBytes(f)));
      }
    }
    ch.finishAndReleaseAll();
    List<String> mine = ours.frames.stream().map(b -> HexFormat.of().formatHex(b.getBytes())).toList();
    String replay = "seed " + seed + " stream " + HexFormat.of().formatHex(stream.getBytes());
    if (ours.decoder.stopped()) {
      // a corrupt length stops Strata for good; Netty goes on reading the bytes after it as frames
      assertThat(theirs.subList(0, Math.min(mine.size(), theirs.size()))).as(replay).isEqualTo(mine);
    } else {
      assertThat(mine).as(replay).isEqualTo(theirs);
    }
  }
}
