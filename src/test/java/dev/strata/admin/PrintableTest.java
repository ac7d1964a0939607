package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;

class PrintableTest {

  @Test
  void escapesControlBytesAndKeepsPrintableAscii() {
    assertThat(Printable.of(Buffer.buffer("GET a\r\n\t\u0000\\"), 200)).isEqualTo("GET a\\r\\n\\t\\x00\\\\");
    assertThat(Printable.of(Buffer.buffer(new byte[] {(byte) 0xff, 'A'}), 200)).isEqualTo("\\xffA");
  }

  @Test
  void truncatesLongFrames() {
    String s = Printable.of(Buffer.buffer("x".repeat(1000)), 200);
    assertThat(s).hasSize(201).endsWith("…");
  }

  @Test
  void rendersOtherFrameTypesThroughToStringEscaped() {
    assertThat(Printable.of(new JsonArray().add("SET").add("k"), 200)).isEqualTo("[\"SET\",\"k\"]");
    assertThat(Printable.of("a\nb", 200)).isEqualTo("a\\nb");
    assertThat(Printable.of(42L, 200)).isEqualTo("42");
    assertThat(Printable.of(null, 200)).isEqualTo("(null)");
  }
}
