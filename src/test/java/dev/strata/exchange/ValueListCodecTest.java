package dev.strata.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The event-bus codec of ValueList keeps element types, and the kind of list (pairs, replies, the null list). */
class ValueListCodecTest {

  private static ValueList roundTrip(ValueList list) {
    ValueListCodec codec = new ValueListCodec();
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, list);
    return codec.decodeFromWire(6, wire);
  }

  @Test
  void aPlainListStaysPlainWithItsTypes() {
    ValueList back = roundTrip(ValueList.of(Buffer.buffer(new byte[] {(byte) 0xff}), "s", 1L, 2, null, true, 1.5,
        ValueList.of(Buffer.buffer("nested"))));
    assertThat(back.isPairs()).isFalse();
    assertThat(back.get(0)).isEqualTo(Buffer.buffer(new byte[] {(byte) 0xff}));
    assertThat(back.subList(1, 7)).containsExactly("s", 1L, 2, null, true, 1.5);
    assertThat(((ValueList) back.get(7)).isPairs()).isFalse();
  }

  @Test
  void pairsStayPairsAtTopLevelAndNested() {
    ValueList inner = ValueList.pairs(1).with("k", 1L);
    ValueList back = roundTrip(ValueList.pairs(2).with(Buffer.buffer("f"), Buffer.buffer("v")).with("m", inner));
    assertThat(back.isPairs()).isTrue();
    assertThat(back).hasSize(4);
    assertThat(back.get(0)).isEqualTo(Buffer.buffer("f"));
    assertThat(((ValueList) back.get(3)).isPairs()).isTrue();
    assertThat((ValueList) back.get(3)).containsExactly("k", 1L);
    assertThat(roundTrip(ValueList.pairs(0))).isEmpty();
    assertThat(roundTrip(ValueList.pairs(0)).isPairs()).isTrue();
  }

  @Test
  void repliesKeepTheirErrorsAndTheNullListStaysTheNullList() {
    ValueList back = roundTrip(ValueList.replies(3).with("OK").with(new ErrorValue("ERR syntax error"))
        .with(ValueList.pairs(1).with("f", Buffer.buffer("v"))));
    assertThat(back.isReplies()).isTrue();
    assertThat(back.get(0)).isEqualTo("OK");
    assertThat(back.get(1)).isEqualTo(new ErrorValue("ERR syntax error"));
    assertThat(((ValueList) back.get(2)).isPairs()).isTrue();
    assertThat(roundTrip(ValueList.nullList())).isSameAs(ValueList.nullList());
    assertThat(roundTrip(ValueList.of(ValueList.nullList())).get(0)).isSameAs(ValueList.nullList());
  }
}
