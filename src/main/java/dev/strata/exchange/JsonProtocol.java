package dev.strata.exchange;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * JSON objects (the {@code json} codec). A request is the object; a reply that is a JsonObject is
 * written as is, anything else as {@code {"reply": value}}; errors as {@code {"error": "CODE message"}},
 * an {@link ErrorValue} inside a list of replies too; {@link ValueList#nullList} as null.
 * Outbound, the same objects the other way round.
 */
final class JsonProtocol implements Protocol<JsonObject> {

  static final JsonProtocol INSTANCE = new JsonProtocol();

  @Override
  public Object toBody(JsonObject frame) {
    return frame;
  }

  @Override
  public JsonObject toFrame(Object body) {
    if (body instanceof JsonObject o) {
      return o;
    }
    return new JsonObject().put("reply", value(body));
  }

  private static Object value(Object body) {
    if (body instanceof ErrorValue e) {
      return new JsonObject().put("error", e.text());
    }
    if (body instanceof ValueList v && v.isNullList()) {
      return null;
    }
    if (body instanceof ValueList v && v.isReplies()) {
      JsonArray out = new JsonArray();
      v.forEach(reply -> out.add(value(reply)));
      return out;
    }
    return body;
  }

  @Override
  public JsonObject error(String text) {
    return new JsonObject().put("error", text);
  }

  /** Outbound: {@code {"error": "..."}} (with at most its tag beside it) is the remote's failure. */
  @Override
  public Object responseBody(JsonObject frame) {
    if (frame.getValue("error") instanceof String text && frame.size() <= 2) {
      return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, -1, text);
    }
    return frame;
  }
}
