package dev.strata.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a listener accepts: TCP connections (the default) or UDP datagrams. */
public enum ListenerTransport {
  TCP("tcp"),
  /** One datagram in, its frames as requests; each reply goes back to the sender as a datagram. */
  UDP("udp");

  private final String text;

  ListenerTransport(String text) {
    this.text = text;
  }

  @JsonValue
  public String text() {
    return text;
  }

  @JsonCreator
  public static ListenerTransport of(String text) {
    for (ListenerTransport t : values()) {
      if (t.text.equals(text)) {
        return t;
      }
    }
    throw new ConfigException("", "'" + text + "' is not a transport; use tcp or udp");
  }
}
