package dev.strata.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A key made from bytes and a probe over a request's Buffer agree on hash and equality, at every length. */
class KvKeyTest {

  @Test
  void aProbeOverASliceFindsTheKeyMadeFromTheSameBytes() {
    Random random = new Random(13);
    for (int len = 0; len <= 40; len++) {
      byte[] bytes = new byte[len];
      random.nextBytes(bytes);
      // the request's argument is a slice in the middle of a larger read
      Buffer read = Buffer.buffer("prefix-").appendBytes(bytes).appendString("-suffix");
      Buffer arg = read.slice(7, 7 + len);
      KvKey key = KvKey.of(arg);
      assertThat(key.bytes).isEqualTo(bytes);
      assertThat(KvKey.probe(arg).hashCode()).as("length %d", len).isEqualTo(key.hashCode());
      assertThat(KvKey.probe(arg).equals(key)).isTrue();
      assertThat(key.equals(KvKey.probe(arg))).isTrue();
      Map<KvKey, Integer> map = new HashMap<>();
      map.put(key, len);
      assertThat(map.get(KvKey.probe(arg))).isEqualTo(len);
      if (len > 0) {
        for (int at : new int[] {0, len / 2, len - 1}) {
          byte[] other = bytes.clone();
          other[at] ^= 1;
          assertThat(KvKey.probe(Buffer.buffer(other)).equals(key)).as("length %d, byte %d changed", len, at).isFalse();
          assertThat(map.get(KvKey.probe(Buffer.buffer(other)))).isNull();
        }
        assertThat(KvKey.probe(arg.slice(0, len - 1)).equals(key)).isFalse();
      }
    }
  }

  @Test
  void keysDifferingInNonUtf8BytesDiffer() {
    KvKey ff = KvKey.of(Buffer.buffer(new byte[] {'k', (byte) 0xff}));
    KvKey fe = KvKey.of(Buffer.buffer(new byte[] {'k', (byte) 0xfe}));
    assertThat(ff).isNotEqualTo(fe);
    assertThat(ff).isEqualTo(KvKey.of(Buffer.buffer(new byte[] {'k', (byte) 0xff})));
  }
}
