package dev.strata.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespCodecTest {

  private static List<Object> decode(String... chunks) {
    Harness<Object> h = Harness.run(RespCodec.create(), false, Arrays.stream(chunks).map(Buffer::buffer).toList(), true);
    assertThat(h.errors).isEmpty();
    return Harness.canon(h.frames);
  }

  private static String encode(Object v) {
    return RespCodec.create().encoder().encode(v).toString();
  }

  @Test
  void decodesEveryResp2Type() {
    assertThat(decode("+OK\r\n-ERR unknown command\r\n:-42\r\n$5\r\nhello\r\n$-1\r\n*-1\r\n$0\r\n\r\n*0\r\n"))
        .containsExactly("String:OK", "RespError:RespError[message=ERR unknown command]", "Long:-42", "b:68656c6c6f",
            "nil", "nil", "b:", List.of());
  }

  @Test
  void decodesACommandSplitAnywhere() {
    String cmd = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
    Object expected = List.of("b:534554", "b:6b6579", "b:76616c7565");
    for (int i = 0; i <= cmd.length(); i++) {
      assertThat(decode(cmd.substring(0, i), cmd.substring(i))).containsExactly(expected);
    }
  }

  @Test
  void nestedNullsAreJavaNullsInsideTheArray() {
    Harness<Object> h = Harness.run(RespCodec.create(), false, Buffer.buffer("*3\r\n$-1\r\n*-1\r\n_\r\n"));
    JsonArray a = (JsonArray) h.frames.get(0);
    assertThat(a.getList()).containsExactly(null, null, null);
  }

  @Test
  void inlineCommandsDecodeLikeArrays() {
    assertThat(decode("PING\r\n", "SET a \"b c\\x41\\n\" 'it\\'s'\n", "\r\n", "   \r\n"))
        .containsExactly(List.of("b:50494e47"), List.of("b:534554", "b:61", "b:6220634" + "10a", "b:6974277" + "3"));
  }

  @Test
  void unbalancedQuotesAreAResyncableError() {
    Harness<Object> h = Harness.run(RespCodec.create(), true, Buffer.buffer("SET \"a\r\nPING\r\n"));
    assertThat(h.errors).singleElement().satisfies(e -> assertThat(e.resyncable()).isTrue());
    assertThat(Harness.canon(h.frames)).containsExactly(List.of("b:50494e47"));
  }

  @Test
  void decodesResp3Scalars() {
    assertThat(decode("#t\r\n,1.5\r\n,inf\r\n(12345678901234567890\r\n_\r\n~1\r\n:1\r\n>1\r\n+x\r\n=7\r\ntxt:abc\r\n!3\r\nERR\r\n"))
        .containsExactly("Boolean:true", "Double:1.5", "Double:Infinity", "BigInteger:12345678901234567890", "nil",
            List.of("Long:1"), List.of("String:x"), "b:7478743a616263", "RespError:RespError[message=ERR]");
  }

  @Test
  void bulkStringsAreSlicesOfTheChunk() {
    Buffer chunk = Buffer.buffer("$3\r\nabc\r\n");
    Harness<Object> h = Harness.run(RespCodec.create(), false, chunk);
    chunk.setByte(4, (byte) 'X');
    assertThat(h.frames.get(0).toString()).isEqualTo("Xbc");
  }

  @Test
  void largeBulkStringsCutByChunksAreAssembledAndCountedAsTheyCome() {
    int n = 300_000;
    byte[] value = new byte[n];
    new java.util.Random(7).nextBytes(value);
    Buffer stream = Buffer.buffer("*2\r\n$3\r\nSET\r\n$" + n + "\r\n").appendBytes(value).appendString("\r\n");
    for (int chunk : new int[] {1000, 4096, 65536, 100_000}) {
      Harness<Object> h = new Harness<>(RespCodec.builder().maxFrameBytes(n + 100).build(), false);
      List<Buffer> chunks = Harness.chunksOf(stream, chunk);
      for (int i = 0; i < chunks.size() - 1; i++) {
        h.feed(chunks.get(i));
        int got = Math.min(stream.length(), (i + 1) * chunk);
        // what a node counts against limits.pendingFrameBytes: what came, not the announced 300,000
        assertThat(h.decoder.held()).as("held after %d bytes in chunks of %d", got, chunk)
            .isBetween(got - 64, got + 1024 + 64);
      }
      h.feed(chunks.get(chunks.size() - 1));
      assertThat(h.errors).isEmpty();
      assertThat(h.decoder.held()).isZero();
      JsonArray cmd = (JsonArray) h.frames.get(0);
      assertThat(((Buffer) cmd.getList().get(1)).getBytes()).isEqualTo(value);
    }
  }

  @Test
  void aLargeBulkHeaderAloneHoldsNothingOfItsAnnouncedSize() {
    Harness<Object> h = new Harness<>(RespCodec.builder().maxFrameBytes(1 << 30).build(), false);
    h.feed(Buffer.buffer("$500000000\r\n"));
    assertThat(h.decoder.held()).isLessThan(64);
    h.finish();
    assertThat(h.errors).singleElement().isInstanceOf(TruncatedFrameException.class);
  }

  @Test
  void limitsNameWhatTheyMeasure() {
    RespCodec small = RespCodec.builder().maxFrameBytes(1 << 20).maxBulkBytes(1000).build();
    Harness<Object> bulk = Harness.run(small, true, Buffer.buffer("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1001\r\n"));
    assertThat(bulk.errors).singleElement().satisfies(e -> {
      assertThat(e).hasMessage("bulk string of 1001 bytes > maxBulkBytes 1000");
      assertThat(e.resyncable()).isFalse();
    });
    Harness<Object> top = Harness.run(small, true, Buffer.buffer("$1001\r\n").appendBytes(new byte[1001])
        .appendString("\r\n+OK\r\n"));
    assertThat(top.errors).singleElement().hasFieldOrPropertyWithValue("message", "bulk string of 1001 bytes > maxBulkBytes 1000");
    assertThat(Harness.canon(top.frames)).containsExactly("String:OK");
    Harness<Object> frame = Harness.run(RespCodec.builder().maxFrameBytes(100).build(), true,
        Buffer.buffer("*2\r\n$3\r\nGET\r\n$90\r\n"));
    assertThat(frame.errors).singleElement()
        .hasFieldOrPropertyWithValue("message", "frame of 110 bytes (with a bulk string of 90) > maxFrameBytes 100");
    Harness<Object> inline = Harness.run(RespCodec.create(), true,
        Buffer.buffer("GET " + "k".repeat(70_000) + "\r\nPING\r\n"));
    assertThat(inline.errors).singleElement().satisfies(e -> assertThat(e.getMessage())
        .isEqualTo("inline command of 70004 bytes > 65536"));
    Harness<Object> cut = Harness.run(RespCodec.create(), true, List.of(Buffer.buffer("GET " + "k".repeat(70_000)),
        Buffer.buffer("\r\nPING\r\n")), true);
    assertThat(cut.errors).singleElement().satisfies(e -> assertThat(e.getMessage())
        .isEqualTo("inline command longer than 65536 bytes (RESP lines are at most 65536)"));
    assertThat(Harness.canon(inline.frames)).containsExactly(List.of("b:50494e47"));
  }

  @Test
  void encodesEveryAcceptedType() {
    assertThat(encode("OK")).isEqualTo("+OK\r\n");
    assertThat(encode(new RespError("ERR no"))).isEqualTo("-ERR no\r\n");
    assertThat(encode(7L)).isEqualTo(":7\r\n");
    assertThat(encode(7)).isEqualTo(":7\r\n");
    assertThat(encode(Buffer.buffer("hi"))).isEqualTo("$2\r\nhi\r\n");
    assertThat(encode(Resp.NULL)).isEqualTo("$-1\r\n");
    assertThat(encode(null)).isEqualTo("$-1\r\n");
    assertThat(encode(new JsonArray().add("GET").add(Buffer.buffer("k")).addNull().add(new JsonArray().add(1))))
        .isEqualTo("*4\r\n$3\r\nGET\r\n$1\r\nk\r\n$-1\r\n*1\r\n:1\r\n");
    assertThat(encode(Boolean.TRUE)).isEqualTo("#t\r\n");
    assertThat(encode(2.5)).isEqualTo(",2.5\r\n");
    assertThat(encode(new BigInteger("123"))).isEqualTo("(123\r\n");
    assertThat(encode(Buffer.buffer(new byte[2000])).length()).isEqualTo(2000 + 9);
  }

  @Test
  void encoderRefusesCrOrLfInASimpleString() {
    assertThatThrownBy(() -> encode("a\r\nb")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> encode(new Object())).hasMessageContaining("no RESP encoding");
  }
}
