package dev.strata.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The examples of Netty's LengthFieldBasedFrameDecoder Javadoc, configured by name. */
class LengthFieldCodecTest {

  private static Buffer hex(String h) {
    return Buffer.buffer(HexFormat.of().parseHex(h.replace(" ", "")));
  }

  private static String decodeOne(LengthFieldCodec c, Buffer wire) {
    Harness<Buffer> h = Harness.run(c, false, wire);
    assertThat(h.errors).isEmpty();
    assertThat(h.frames).hasSize(1);
    return HexFormat.of().formatHex(h.frames.get(0).getBytes());
  }

  @Test
  void twoByteLengthWithHeaderKept() {
    LengthFieldCodec c = LengthFieldCodec.builder().lengthFieldBytes(2).initialBytesToStrip(0).build();
    assertThat(decodeOne(c, hex("000C 48454C4C4F2C20574F524C44"))).isEqualTo("000c48454c4c4f2c20574f524c44");
  }

  @Test
  void lengthIncludingHeaderStripped() {
    LengthFieldCodec c = LengthFieldCodec.builder().lengthFieldBytes(2).lengthIncludesHeader(true).build();
    assertThat(decodeOne(c, hex("000E 48454C4C4F2C20574F524C44"))).isEqualTo("48454c4c4f2c20574f524c44");
  }

  @Test
  void headerBeforeTheLengthAndAfterIt() {
    // HDR1 | LEN (2) | HDR2 | body, strip HDR1 and LEN
    LengthFieldCodec c = LengthFieldCodec.builder().lengthFieldOffset(1).lengthFieldBytes(2)
        .lengthAdjustment(1).initialBytesToStrip(3).build();
    assertThat(decodeOne(c, hex("CA 000C FE 48454C4C4F2C20574F524C44"))).isEqualTo("fe48454c4c4f2c20574f524c44");
  }

  @Test
  void littleEndianEightByteLength() {
    LengthFieldCodec c = LengthFieldCodec.builder().lengthFieldBytes(8).byteOrder("little").build();
    assertThat(decodeOne(c, hex("0200000000000000 6869"))).isEqualTo("6869");
    assertThat(HexFormat.of().formatHex(c.encoder().encode(Buffer.buffer("hi")).getBytes()))
        .isEqualTo("02000000000000006869");
  }

  @Test
  void encoderWritesTheFieldOverAKeptHeader() {
    LengthFieldCodec c = LengthFieldCodec.builder().lengthFieldOffset(1).lengthFieldBytes(2).initialBytesToStrip(0).build();
    Buffer wire = c.encoder().encode(hex("CA 0000 6869"));
    assertThat(HexFormat.of().formatHex(wire.getBytes())).isEqualTo("ca00026869");
  }

  @Test
  void encoderRefusesWhatTheFieldCannotHold() {
    LengthFieldCodec c = LengthFieldCodec.builder().lengthFieldBytes(1).build();
    assertThatThrownBy(() -> c.encoder().encode(Buffer.buffer(new byte[256])))
        .hasMessageContaining("1-byte field");
  }

  @Test
  void frameShorterThanItsHeaderIsCorrupt() {
    LengthFieldCodec c = LengthFieldCodec.builder().lengthFieldBytes(2).lengthIncludesHeader(true).build();
    Harness<Buffer> h = Harness.run(c, true, hex("0001 41"));
    assertThat(h.errors).singleElement().isInstanceOf(CorruptFrameException.class);
  }

  @Test
  void builderNamesTheBadValue() {
    assertThatThrownBy(() -> LengthFieldCodec.builder().lengthFieldBytes(5)).hasMessageContaining("lengthFieldBytes 5");
    assertThatThrownBy(() -> LengthFieldCodec.builder().byteOrder("middle")).hasMessageContaining("'middle'");
    assertThatThrownBy(() -> LengthFieldCodec.builder().maxFrameBytes(-1)).hasMessageContaining("maxFrameBytes -1");
  }
}
