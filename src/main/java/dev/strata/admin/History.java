package dev.strata.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;

/** The last few minutes of once-a-second points, so that a fresh dashboard starts with charts. */
final class History {

  static final int DEFAULT_POINTS = 300;

  private final ArrayDeque<JsonObject> points = new ArrayDeque<>();
  private final int capacity;

  History(int capacity) {
    this.capacity = capacity;
  }

  synchronized void add(JsonObject point) {
    if (points.size() == capacity) {
      points.pollFirst();
    }
    points.addLast(point);
  }

  synchronized JsonArray toJson() {
    return new JsonArray(new java.util.ArrayList<>(points));
  }
}
