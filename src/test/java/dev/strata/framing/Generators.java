package dev.strata.framing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded generators of frames for the property tests. */
final class Generators {

  private Generators() {
  }

  /** A size: mostly tiny, sometimes a few hundred bytes, rarely a few thousand. */
  static int size(Random rnd) {
    int p = rnd.nextInt(100);
    return p < 70 ? rnd.nextInt(21) : p < 95 ? rnd.nextInt(301) : rnd.nextInt(5001);
  }

  static Buffer bytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return Buffer.buffer(b);
  }

  /** Bytes drawn from {@code alphabet}, {@code n} of them. */
  static Buffer from(Random rnd, int n, byte[] alphabet) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = alphabet[rnd.nextInt(alphabet.length)];
    }
    return Buffer.buffer(b);
  }

  /** Every byte value but those given. */
  static byte[] allBut(String excluded) {
    byte[] out = new byte[256 - excluded.length()];
    int k = 0;
    for (int v = 0; v < 256; v++) {
      if (excluded.indexOf((char) v) < 0) {
        out[k++] = (byte) v;
      }
    }
    return out;
  }

  /** A line: no LF, and no CR at its end (a CR before the LF is part of the delimiter). */
  static Buffer line(Random rnd) {
    Buffer b = from(rnd, size(rnd), allBut("\n"));
    if (b.length() > 0 && b.getByte(b.length() - 1) == '\r') {
      b.setByte(b.length() - 1, (byte) 'x');
    }
    return b;
  }

  static Object respTop(Random rnd) {
    return switch (rnd.nextInt(10)) {
      case 0 -> ascii(rnd, rnd.nextInt(20));
      case 1 -> new RespError("ERR " + ascii(rnd, rnd.nextInt(20)));
      case 2 -> rnd.nextBoolean() ? (Object) rnd.nextLong() : (Object) (long) rnd.nextInt(100);
      case 3 -> Resp.NULL;
      case 4 -> rnd.nextBoolean();
      case 5 -> rnd.nextInt(4) == 0 ? Double.NaN : rnd.nextDouble() * 1e6 - 5e5;
      case 6 -> new BigInteger(80, rnd).negate();
      case 7 -> bytes(rnd, size(rnd));
      default -> respArray(rnd, 0);
    };
  }

  private static JsonArray respArray(Random rnd, int depth) {
    int n = rnd.nextInt(depth == 0 ? 6 : 3);
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(switch (rnd.nextInt(depth < 3 ? 6 : 5)) {
        case 0 -> null;
        case 1 -> (long) rnd.nextInt();
        case 2 -> new RespError("E" + ascii(rnd, 5));
        case 3, 4 -> bytes(rnd, rnd.nextInt(30));
        default -> respArray(rnd, depth + 1);
      });
    }
    return new JsonArray(items);
  }

  static String ascii(Random rnd, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append((char) (' ' + rnd.nextInt(95)));
    }
    return sb.toString();
  }

  static JsonObject json(Random rnd) {
    JsonObject o = new JsonObject();
    int n = rnd.nextInt(6);
    for (int i = 0; i < n; i++) {
      String k = "k" + i;
      switch (rnd.nextInt(5)) {
        case 0 -> o.put(k, ascii(rnd, rnd.nextInt(40)) + "é\u2603");
        case 1 -> o.put(k, rnd.nextInt());
        case 2 -> o.put(k, rnd.nextBoolean());
        case 3 -> o.put(k, new JsonArray().add(1).add("two").addNull());
        default -> o.put(k, new JsonObject().put("nested", ascii(rnd, 5)));
      }
    }
    return o;
  }
}
