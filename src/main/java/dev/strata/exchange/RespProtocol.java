package dev.strata.exchange;

import dev.strata.framing.Resp;
import dev.strata.framing.RespError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;

/**
 * Redis RESP2. A request is the command as a {@code JsonArray} of {@code Buffer}s (inline commands
 * included). Replies map as Redis clients expect: {@code String} → simple string ({@code +OK}; a
 * String holding CR or LF becomes a bulk string), {@code Buffer} → bulk string, integral numbers →
 * integer, {@code Boolean} → integer 1/0, other numbers and JSON objects → bulk string of their text,
 * {@code null} → null bulk string, {@code JsonArray} or {@code List} → array (its Strings as bulk
 * strings). Prefer an {@code ArrayList} for arrays of values: {@link ListCodec} keeps Buffers and
 * nils intact across the cluster.
 */
final class RespProtocol implements Protocol<Object> {

  static final RespProtocol INSTANCE = new RespProtocol();

  @Override
  public Object toBody(Object frame) {
    if (frame instanceof JsonArray || frame instanceof String || frame instanceof Buffer || frame instanceof Long) {
      return frame;
    }
    if (frame == Resp.NULL) {
      return null;
    }
    if (frame instanceof RespError e) {
      throw new IllegalArgumentException("an error reply is not a request: " + e.message());
    }
    return String.valueOf(frame); // RESP3 scalars (Double, Boolean, BigInteger) travel as text
  }

  @Override
  public Object toFrame(Object body) {
    if (body == null) {
      return Resp.NULL;
    }
    if (body instanceof Buffer || body instanceof Long || body instanceof Integer || body instanceof JsonArray
        || body instanceof java.util.List) {
      return body;
    }
    if (body instanceof String s) {
      return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0 ? Buffer.buffer(s) : s;
    }
    if (body instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    if (body instanceof Short || body instanceof Byte) {
      return ((Number) body).longValue();
    }
    if (body instanceof Number || body instanceof JsonObject || body instanceof BigInteger) {
      return Buffer.buffer(body.toString());
    }
    if (body instanceof byte[] bytes) {
      return Buffer.buffer(bytes);
    }
    throw new IllegalArgumentException("cannot write a " + body.getClass().getSimpleName() + " reply in RESP");
  }

  @Override
  public Object error(String text) {
    return new RespError(text.replace('\r', ' ').replace('\n', ' '));
  }
}
