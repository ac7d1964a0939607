package dev.strata.stream;

/** Why a connection ended; shown in the registry's recently-closed view and the dashboard. */
public enum CloseReason {
  CLIENT_CLOSED("client closed"),
  RESET("reset"),
  IDLE("idle"),
  FRAME_TOO_LARGE("frame too large"),
  CORRUPT_FRAME("corrupt frame"),
  CLOSED_BY_ADMIN("closed by admin"),
  REJECTED("rejected: too many connections"),
  /** The node's budget for bytes held in unfinished frames ran out, and this one held the most. */
  MEMORY("memory"),
  /** A frame begun was not complete within the listener's {@code frameTimeout} (a slowloris client). */
  FRAME_TIMEOUT("frame timeout"),
  /** Its write queue stayed full for the listener's {@code slowConsumerTimeout}: it does not read. */
  SLOW_CONSUMER("slow consumer"),
  /** A UDP sender dropped to make room for a new one: its listener tracks at most {@code maxSenders}. */
  EVICTED("evicted: maxSenders"),
  SHUTDOWN("shutdown");

  private final String text;

  CloseReason(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }
}
