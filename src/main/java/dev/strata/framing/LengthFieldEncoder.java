package dev.strata.framing;

import io.vertx.core.buffer.Buffer;

/** Encoder of {@link LengthFieldCodec}: stripped bytes as zeros, the frame, the length field set. */
final class LengthFieldEncoder implements Encoder<Buffer> {

  private final LengthFieldCodec c;
  private final long maxValue;

  LengthFieldEncoder(LengthFieldCodec codec) {
    this.c = codec;
    this.maxValue = switch (codec.fieldBytes) {
      case 1 -> 0xFFL;
      case 2 -> 0xFFFFL;
      case 3 -> 0xFFFFFFL;
      case 4 -> Integer.MAX_VALUE;
      default -> Long.MAX_VALUE;
    };
  }

  @Override
  public void encode(Buffer frame, Buffer out) {
    int header = c.headerBytes();
    if (c.strip < header && frame.length() < header - c.strip) {
      throw new IllegalArgumentException("frame of " + frame.length() + " bytes cannot hold the "
          + (header - c.strip) + " header bytes it must start with (initialBytesToStrip " + c.strip + ")");
    }
    long wire = (long) c.strip + frame.length();
    long value = wire - c.adjustment - header;
    if (value < 0 || value > maxValue) {
      throw new IllegalArgumentException("frame of " + frame.length() + " bytes gives length value " + value
          + ", which a " + c.fieldBytes + "-byte field cannot hold");
    }
    int start = out.length();
    int zeros = c.strip;
    for (; zeros >= 4; zeros -= 4) {
      out.appendInt(0);
    }
    for (; zeros > 0; zeros--) {
      out.appendByte((byte) 0);
    }
    out.appendBuffer(frame);
    int at = start + c.offset;
    switch (c.fieldBytes) {
      case 1 -> out.setByte(at, (byte) value);
      case 2 -> {
        if (c.littleEndian) {
          out.setShortLE(at, (short) value);
        } else {
          out.setShort(at, (short) value);
        }
      }
      case 3 -> {
        if (c.littleEndian) {
          out.setMediumLE(at, (int) value);
        } else {
          out.setMedium(at, (int) value);
        }
      }
      case 4 -> {
        if (c.littleEndian) {
          out.setIntLE(at, (int) value);
        } else {
          out.setInt(at, (int) value);
        }
      }
      default -> {
        if (c.littleEndian) {
          out.setLongLE(at, value);
        } else {
          out.setLong(at, value);
        }
      }
    }
  }
}
