package dev.strata.stream;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a node's graceful stop did to its connections, for the line it logs: how many were drained
 * (every request read before the stop was answered) and how many the deadline cut, with the requests
 * they still owed. Connections report into it as they close.
 */
public final class ShutdownTally {

  private final LongAdder drained = new LongAdder();
  private final LongAdder answered = new LongAdder();
  private final LongAdder cut = new LongAdder();
  private final LongAdder unanswered = new LongAdder();

  /** A connection closed after answering everything it had read; {@code answered} of those came after the stop began. */
  public void drained(int answeredAfterStop) {
    drained.increment();
    answered.add(answeredAfterStop);
  }

  /** The deadline closed a connection that still owed {@code owed} answers. */
  public void cut(int owed, int answeredAfterStop) {
    cut.increment();
    unanswered.add(owed);
    answered.add(answeredAfterStop);
  }

  public long drained() {
    return drained.sum();
  }

  public long answered() {
    return answered.sum();
  }

  public long cut() {
    return cut.sum();
  }

  public long unanswered() {
    return unanswered.sum();
  }

  /** e.g. "drained 20 connections (1,234 requests answered after the stop began); 0 cut at the deadline". */
  public String describe(long graceMillis) {
    return String.format("drained %,d connections (%,d requests answered after the stop began); %,d cut at the deadline"
        + " (shutdownGrace %d ms)%s", drained(), answered(), cut(), graceMillis,
        cut() == 0 ? "" : String.format(" with %,d requests unanswered", unanswered()));
  }
}
