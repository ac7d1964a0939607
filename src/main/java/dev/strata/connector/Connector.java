package dev.strata.connector;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import dev.strata.exchange.Client;
import dev.strata.exchange.ExchangeException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One configured connector on this node: its options, its circuit breaker and its figures, shared by
 * the {@link ConnectorVerticle} instances (one per event loop) that hold its pool's connections.
 * Thread-safe: instances update it from their event loops, the admin API reads it from anywhere.
 */
public final class Connector {

  /** Outcomes counted per connector (also the {@code outcome} tag of its metrics). */
  public enum Outcome {
    OK, ERROR_REPLY, TIMEOUT, CONNECTION_LOST, UNAVAILABLE, CIRCUIT_OPEN, BAD_REQUEST
  }

  private final ConnectorOptions options;
  private final CircuitBreaker breaker;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private final LongAdder[] outcomes = new LongAdder[Outcome.values().length];
  private final LongAdder retried = new LongAdder();
  private final LongAdder lost = new LongAdder();
  private final LongAdder latencyNanos = new LongAdder();
  private final Recorder latency = new Recorder(3);
  private final Histogram lastInterval = new Histogram(3);
  private long lastIntervalAt = System.nanoTime();
  private String lastReported;
  /** Instances using it (guarded by {@link Connectors}). */
  int users;

  Connector(Vertx vertx, ConnectorOptions options) {
    this.options = options;
    for (int i = 0; i < outcomes.length; i++) {
      outcomes[i] = new LongAdder();
    }
    this.breaker = CircuitBreaker.create("strata.connector." + options.name(), vertx, new CircuitBreakerOptions()
        .setMaxFailures(options.breakerFailures())
        .setResetTimeout(options.breakerResetMs())
        .setTimeout(-1) // the client times requests out itself
        .setNotificationAddress(null));
    // only the connection's failures count: an error reply from the remote is an answer
    breaker.failurePolicy(f -> f.failed() && f.cause() instanceof ExchangeException);
  }

  public String name() {
    return options.name();
  }

  public String address() {
    return options.address();
  }

  public ConnectorOptions options() {
    return options;
  }

  CircuitBreaker breaker() {
    return breaker;
  }

  void add(Link link) {
    links.add(link);
  }

  void remove(Link link) {
    links.remove(link);
  }

  /**
   * An open connection of any instance for a request from {@code source} (-1: none), or null: what an
   * instance whose own connections are all down sends on. The client may belong to another event
   * loop; {@link Client#request} hops there.
   */
  Client<Object, Object> openClient(long source) {
    int n = links.size();
    if (n == 0) {
      return null;
    }
    int start = source < 0 ? 0 : (int) Math.floorMod(source, (long) n);
    for (int i = 0; i < n; i++) {
      Client<Object, Object> c;
      try {
        c = links.get((start + i) % n).client();
      } catch (IndexOutOfBoundsException stopping) { // an instance left meanwhile
        return null;
      }
      if (c != null) {
        return c;
      }
    }
    return null;
  }

  void answered(Outcome outcome, long nanos) {
    outcomes[outcome.ordinal()].increment();
    if (outcome == Outcome.OK || outcome == Outcome.ERROR_REPLY) {
      latency.recordValue(Math.max(0, nanos / 1000));
      latencyNanos.add(nanos);
    }
  }

  /** Answers from the remote (replies and error replies): the count of the latency figures. */
  public long answeredWithLatency() {
    return count(Outcome.OK) + count(Outcome.ERROR_REPLY);
  }

  public double totalLatencyNanos() {
    return latencyNanos.sum();
  }

  /** Whether {@code failure} is news (not the last one logged); null: a connection opened. */
  synchronized boolean reported(String failure) {
    boolean news = failure != null && !failure.equals(lastReported);
    lastReported = failure;
    return news;
  }

  void retried() {
    retried.increment();
  }

  void connectionLost() {
    lost.increment();
  }

  public long count(Outcome outcome) {
    return outcomes[outcome.ordinal()].sum();
  }

  public long requests() {
    long n = 0;
    for (LongAdder a : outcomes) {
      n += a.sum();
    }
    return n;
  }

  public long connectionsLost() {
    return lost.sum();
  }

  public int inFlight() {
    int n = 0;
    for (Link l : links) {
      n += l.inFlight();
    }
    return n;
  }

  public int open() {
    int n = 0;
    for (Link l : links) {
      n += l.state() == Link.State.OPEN ? 1 : 0;
    }
    return n;
  }

  public String circuit() {
    CircuitBreakerState s = breaker.state();
    return s.name().toLowerCase().replace('_', '-');
  }

  /** up (every connection open), degraded (some), down (none), or circuit-open. */
  public String state() {
    if (breaker.state() == CircuitBreakerState.OPEN) {
      return "circuit-open";
    }
    int open = open();
    return open == 0 ? "down" : open < options.pool() ? "degraded" : "up";
  }

  /** Latency of the answers since the last call (µs), for the once-a-second sampler. */
  synchronized Histogram sample() {
    long now = System.nanoTime();
    if (now - lastIntervalAt > 500_000_000L) {
      lastIntervalAt = now;
      lastInterval.reset();
      latency.getIntervalHistogramInto(lastInterval);
    }
    return lastInterval;
  }

  /** The connector as {@code /api/connectors} shows it. */
  public JsonObject toJson() {
    Histogram h = sample();
    JsonObject errors = new JsonObject();
    for (Outcome o : Outcome.values()) {
      if (o != Outcome.OK) {
        errors.put(o.name().toLowerCase().replace('_', '-'), count(o));
      }
    }
    JsonArray connections = new JsonArray();
    links.forEach(l -> connections.add(l.toJson()));
    return new JsonObject()
        .put("name", name()).put("address", address()).put("hosts", new JsonArray(options.hosts()))
        .put("codec", options.codec()).put("correlation", options.correlation().name().toLowerCase())
        .put("state", state()).put("circuit", circuit())
        .put("pool", options.pool()).put("open", open())
        .put("inFlight", inFlight())
        .put("requests", requests()).put("ok", count(Outcome.OK)).put("errors", errors)
        .put("retried", retried.sum()).put("connectionsLost", connectionsLost())
        .put("p50Ms", h.getTotalCount() == 0 ? null : h.getValueAtPercentile(50) / 1000.0)
        .put("p99Ms", h.getTotalCount() == 0 ? null : h.getValueAtPercentile(99) / 1000.0)
        .put("connections", connections);
  }

  void close() {
    breaker.close();
  }
}
