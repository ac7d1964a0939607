package dev.strata.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a listener reaches its application. */
public enum Dispatch {
  /** An application served with {@code Endpoint.serve} on this node is called directly, a read's frames as one batch (default). */
  LOCAL_FIRST("local-first"),
  /** Every frame is an event-bus request, so event-bus interceptors and metrics see each one. */
  EVENT_BUS("event-bus");

  private final String text;

  Dispatch(String text) {
    this.text = text;
  }

  @JsonValue
  public String text() {
    return text;
  }

  @JsonCreator
  public static Dispatch of(String text) {
    for (Dispatch d : values()) {
      if (d.text.equals(text)) {
        return d;
      }
    }
    throw new ConfigException("", "'" + text + "' is not a dispatch mode; use local-first or event-bus");
  }
}
