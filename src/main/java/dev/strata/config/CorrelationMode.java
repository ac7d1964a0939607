package dev.strata.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a listener's or connector's answers are matched with requests: {@code pipelined} or {@code multiplexed}. */
public enum CorrelationMode {
  /** In request order (Redis, lines). */
  PIPELINED("pipelined"),
  /** By a tag each frame carries (the codec's tag: json {@code tagField}, length {@code tagBytes}). */
  MULTIPLEXED("multiplexed");

  private final String text;

  CorrelationMode(String text) {
    this.text = text;
  }

  @JsonValue
  public String text() {
    return text;
  }

  @JsonCreator
  public static CorrelationMode of(String text) {
    for (CorrelationMode c : values()) {
      if (c.text.equals(text)) {
        return c;
      }
    }
    throw new ConfigException("", "'" + text + "' is not a correlation; use pipelined or multiplexed");
  }
}
