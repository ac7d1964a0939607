package dev.strata.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a listener does after an oversized or corrupt frame. */
public enum FrameErrorPolicy {
  /** Answer with an error frame, then close the connection (the default). */
  CLOSE("close"),
  /** Answer with an error frame, skip to the next frame boundary, keep the connection. */
  ERROR_AND_RESYNC("error-and-resync");

  private final String text;

  FrameErrorPolicy(String text) {
    this.text = text;
  }

  @JsonValue
  public String text() {
    return text;
  }

  @JsonCreator
  public static FrameErrorPolicy of(String text) {
    for (FrameErrorPolicy p : values()) {
      if (p.text.equals(text)) {
        return p;
      }
    }
    throw new ConfigException("", "'" + text + "' is not a frame error policy; use close or error-and-resync");
  }
}
