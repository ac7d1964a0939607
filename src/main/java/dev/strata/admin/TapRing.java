package dev.strata.admin;

import dev.strata.stream.FrameTap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;

/**
 * A frame tap that keeps the last N frames of a connection, rendered printable, with a sequence
 * number so viewers can ask for what is new. Installed only while someone watches; the exchange
 * calls it on the connection's event loop, viewers read it from elsewhere, hence the lock.
 */
final class TapRing implements FrameTap {

  static final int DEFAULT_FRAMES = 50;
  static final int MAX_FRAMES = 1000;

  final String tapId;
  final long connectionId;
  final long expiresAt;
  private final int capacity;
  private final ArrayDeque<JsonObject> frames = new ArrayDeque<>();
  private long seq;
  private long published;

  TapRing(String tapId, long connectionId, int capacity, long expiresAt) {
    this.tapId = tapId;
    this.connectionId = connectionId;
    this.capacity = capacity;
    this.expiresAt = expiresAt;
  }

  @Override
  public void inbound(Object frame) {
    add("in", frame);
  }

  @Override
  public void outbound(Object frame) {
    add("out", frame);
  }

  private void add(String direction, Object frame) {
    JsonObject entry = new JsonObject().put("dir", direction).put("t", System.currentTimeMillis())
        .put("size", Printable.size(frame)).put("text", Printable.of(frame, Printable.DEFAULT_MAX));
    synchronized (this) {
      entry.put("seq", ++seq);
      if (frames.size() == capacity) {
        frames.pollFirst();
      }
      frames.addLast(entry);
    }
  }

  /** Every frame held, oldest first. */
  synchronized JsonArray snapshot() {
    return new JsonArray(new java.util.ArrayList<>(frames));
  }

  /** Frames added since the last call, or null when none. */
  synchronized JsonArray takeNew() {
    if (seq == published) {
      return null;
    }
    JsonArray out = new JsonArray();
    for (JsonObject f : frames) {
      if (f.getLong("seq") > published) {
        out.add(f);
      }
    }
    published = seq;
    return out;
  }
}
