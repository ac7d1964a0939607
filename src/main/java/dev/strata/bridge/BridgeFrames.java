package dev.strata.bridge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The bridge's frames as the Vert.x TCP event-bus bridge writes and reads them (proven against it by
 * {@code BridgeReferenceTest}): event-bus messages and failures out, a client's headers in.
 *
 * <pre>
 *   message  {"type":"message","address":A,"headers":{..},"body":B,"send":true,"replyAddress":R}
 *   failure  {"type":"err","address":R,"sourceAddress":A,"failureCode":42,"failureType":"RECIPIENT_FAILURE","message":"nope"}
 * </pre>
 */
final class BridgeFrames {

  private BridgeFrames() {
  }

  /**
   * A message for the client, with the fields the Vert.x bridge sends: {@code headers} (always, maybe
   * empty), {@code body} (unless null), {@code send} (false for a publish; true for a reply) and
   * {@code replyAddress} when an answer is expected.
   */
  static JsonObject message(String address, Message<Object> m, boolean send) {
    JsonObject headers = new JsonObject();
    m.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
    JsonObject out = new JsonObject().put("type", "message").put("address", address).put("headers", headers);
    Object body = json(m.body());
    if (body != null) {
      out.put("body", body);
    }
    out.put("send", send);
    if (m.replyAddress() != null) {
      out.put("replyAddress", m.replyAddress());
    }
    return out;
  }

  /**
   * A {@code timeout} header in milliseconds: a JSON number or, as Vert.x clients send every header, a
   * string of digits.
   */
  static long timeout(Object value) {
    long ms;
    if (value instanceof Number n) {
      ms = n.longValue();
    } else {
      try {
        ms = Long.parseLong(String.valueOf(value).trim());
      } catch (NumberFormatException e) {
        ms = -1;
      }
    }
    if (ms <= 0) {
      throw new IllegalArgumentException("timeout header '" + value + "' is not a positive number of milliseconds");
    }
    return ms;
  }

  /** Headers from the client; {@code timeout} (ms), {@code localOnly} and {@code codecName} become delivery options. */
  static DeliveryOptions options(JsonObject msg) {
    DeliveryOptions o = new DeliveryOptions();
    if (msg.getValue("headers") instanceof JsonObject headers) {
      for (Map.Entry<String, Object> h : headers) {
        switch (h.getKey()) {
          case "timeout" -> o.setSendTimeout(timeout(h.getValue()));
          case "localOnly" -> o.setLocalOnly(Boolean.parseBoolean(String.valueOf(h.getValue())));
          case "codecName" -> o.setCodecName(String.valueOf(h.getValue()));
          case "token" -> {
            // the bridge's credential, not the application's business
          }
          default -> o.addHeader(h.getKey(), String.valueOf(h.getValue()));
        }
      }
    }
    return o;
  }

  /** A failed request, as the Vert.x bridge reports it: at its reply address, naming the address it went to. */
  static JsonObject failure(String replyAddress, String sourceAddress, Throwable cause) {
    JsonObject err = new JsonObject().put("type", "err").put("address", replyAddress).put("sourceAddress", sourceAddress);
    if (cause instanceof ReplyException re) {
      err.put("failureCode", re.failureCode()).put("failureType", re.failureType().name());
    }
    return err.put("message", String.valueOf(cause.getMessage()));
  }

  /** A body as JSON: JSON values as they are, bytes as base64 (as Vert.x's JSON does), the rest as text. */
  static Object json(Object body) {
    if (body == null || body instanceof JsonObject || body instanceof JsonArray || body instanceof String
        || body instanceof Number || body instanceof Boolean) {
      return body;
    }
    if (body instanceof Buffer b) {
      return Base64.getEncoder().encodeToString(b.getBytes());
    }
    if (body instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (body instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(o -> out.add(json(o)));
      return new JsonArray(out);
    }
    if (body instanceof Map<?, ?> map) {
      JsonObject out = new JsonObject();
      map.forEach((k, v) -> out.put(String.valueOf(k), json(v)));
      return out;
    }
    return body.toString();
  }
}
