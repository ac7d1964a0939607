package dev.strata.exchange;

/** How the answers of one connection are matched with its requests. */
public enum Correlation {
  /** In order: the n-th answer belongs to the n-th request (Redis, lines, HTTP/1.1). */
  PIPELINED,
  /** By tag: every frame carries its request's tag, answers come in any order (see {@code Tagging}). */
  MULTIPLEXED
}
