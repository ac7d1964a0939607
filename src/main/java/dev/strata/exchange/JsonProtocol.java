package dev.strata.exchange;

import io.vertx.core.json.JsonObject;

/**
 * JSON objects (the {@code json} codec). A request is the object; a reply that is a JsonObject is
 * written as is, anything else as {@code {"reply": value}}; errors as {@code {"error": "CODE message"}}.
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
    return new JsonObject().put("reply", body);
  }

  @Override
  public JsonObject error(String text) {
    return new JsonObject().put("error", text);
  }
}
