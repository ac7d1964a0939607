package dev.strata.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

  private static Buffer frame(String text) {
    Buffer b = Buffer.buffer(text);
    return Buffer.buffer().appendInt(b.length()).appendBuffer(b);
  }

  @Test
  void decodesTheEventBusBridgeFraming() {
    JsonObject ping = new JsonObject().put("type", "ping");
    Buffer wire = JsonCodec.create().encoder().encode(ping);
    assertThat(wire.getInt(0)).isEqualTo(15);
    assertThat(Harness.run(JsonCodec.create(), false, wire).frames).containsExactly(ping);
  }

  @Test
  void textThatIsNotAJsonObjectIsAResyncableCorruptFrame() {
    for (String bad : new String[] {"[1,2]", "\"s\"", "null", "{bad", "", "{} {}"}) {
      Buffer wire = frame(bad).appendBuffer(frame("{\"ok\":true}"));
      Harness<JsonObject> h = Harness.run(JsonCodec.create(), true, wire);
      assertThat(h.errors).as(bad).singleElement().isInstanceOf(CorruptFrameException.class);
      assertThat(h.errors.get(0).resyncable()).isTrue();
      assertThat(h.frames).as(bad).containsExactly(new JsonObject().put("ok", true));
    }
  }

  @Test
  void withTheClosePolicyNothingAfterTheBadFrameIsDelivered() {
    Harness<JsonObject> h = Harness.run(JsonCodec.create(), false, frame("[]").appendBuffer(frame("{}")));
    assertThat(h.frames).isEmpty();
    assertThat(h.decoder.stopped()).isTrue();
  }
}
