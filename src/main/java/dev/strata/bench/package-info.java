/**
 * Load generation and baselines: {@code strata bench} (any configured codec, closed or open loop,
 * HdrHistogram latencies) and the raw Vert.x RESP responder used as a baseline in docs/benchmarks.md.
 * An edge package: it may use every layer below, nothing imports it.
 */
package dev.strata.bench;
