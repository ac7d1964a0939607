package dev.strata.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Live figures of one listener: request and error counts, latency recorders (HdrHistogram, one per
 * event loop), byte and frame totals, and the rates the sampler derives.
 */
final class ListenerLive {

  static final int LATENCY_WINDOW_SEC = 10;

  final String name;
  final LongAdder requests = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder decodeErrors = new LongAdder();
  /** Totals over every connection of the listener; open ones are added once a second by the sampler. */
  final LongAdder[] totals = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
  /**
   * One latency recorder per writing thread (the event loops), merged by the sampler: a single shared
   * {@code Recorder} made every answer of every event loop increment the same phaser counter, and that
   * contended cache line cost a pipelined RESP SET an eighth of its event-loop time on two cores.
   */
  private final Map<Thread, SingleWriterRecorder> latency = new ConcurrentHashMap<>();
  /** The sampler's copy of one recorder's interval (sampler thread only). */
  private final Histogram interval = new Histogram(2);
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Counter> decodeErrorsByKind = new ConcurrentHashMap<>();
  private final MeterRegistry meters;
  private final Meters registered;

  // Written by the sampler only, read by anyone.
  private final ArrayDeque<Histogram> window = new ArrayDeque<>();
  private Histogram recycled;
  private long lastRequests;
  private long lastErrors;
  volatile double requestsPerSec;
  volatile double errorsPerSec;
  volatile double[] ratesPerSec = new double[4];
  volatile double p50Ms;
  volatile double p99Ms;
  /** p99 of the last second only, or -1 without requests (for the chart). */
  volatile double lastSecondP99Ms = -1;

  ListenerLive(String name, MeterRegistry meters, Meters registered) {
    this.name = name;
    this.meters = meters;
    this.registered = registered;
  }

  /** On a connection's event loop: cheap, lock-free. */
  void answered(String address, long nanos, boolean failed) {
    answered(recorder(), timer(address), nanos, failed);
  }

  /**
   * As {@link #answered(String, long, boolean)}, with the address's timer and this thread's recorder
   * ({@link #recorder}, taken on this same thread) already found.
   */
  void answered(SingleWriterRecorder recorder, Timer timer, long nanos, boolean failed) {
    requests.increment();
    if (failed) {
      errors.increment();
    }
    recorder.recordValue(Math.max(1, nanos / 1000));
    timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** The calling thread's latency recorder: only this thread may write to it. */
  SingleWriterRecorder recorder() {
    Thread t = Thread.currentThread();
    SingleWriterRecorder r = latency.get(t);
    return r != null ? r : latency.computeIfAbsent(t, k -> new SingleWriterRecorder(2));
  }

  void decodeError(String kind) {
    decodeErrors.increment();
    decodeErrorCounter(kind).increment();
  }

  Counter decodeErrorCounter(String kind) {
    return decodeErrorsByKind.computeIfAbsent(kind, k -> registered.add(Counter.builder("strata.decode.errors")
        .description("Frames that could not be decoded, by kind").tag("listener", name).tag("kind", k)
        .register(meters)));
  }

  Timer timer(String address) {
    return timers.computeIfAbsent(address, a -> registered.add(Timer.builder("strata.request.duration")
        .description("From decoding a request to writing its answer")
        .tag("listener", name).tag("address", a)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(meters)));
  }

  /** Once a second, on the sampler's thread. */
  void sample(double dtSec, long[] deltas) {
    for (int m = 0; m < 4; m++) {
      totals[m].add(deltas[m]);
    }
    double[] r = new double[4];
    for (int m = 0; m < 4; m++) {
      r[m] = dtSec > 0 ? deltas[m] / dtSec : 0;
    }
    ratesPerSec = r;
    long req = requests.sum();
    long err = errors.sum();
    requestsPerSec = dtSec > 0 ? (req - lastRequests) / dtSec : 0;
    errorsPerSec = dtSec > 0 ? (err - lastErrors) / dtSec : 0;
    lastRequests = req;
    lastErrors = err;
    Histogram second = recycled != null ? recycled : new Histogram(2);
    recycled = null;
    second.reset();
    for (SingleWriterRecorder each : latency.values()) {
      each.getIntervalHistogramInto(interval);
      second.add(interval);
    }
    lastSecondP99Ms = second.getTotalCount() == 0 ? -1 : second.getValueAtPercentile(99) / 1000.0;
    window.addLast(second);
    if (window.size() > LATENCY_WINDOW_SEC) {
      recycled = window.pollFirst();
    }
    Histogram sum = new Histogram(2);
    window.forEach(sum::add);
    p50Ms = sum.getTotalCount() == 0 ? 0 : sum.getValueAtPercentile(50) / 1000.0;
    p99Ms = sum.getTotalCount() == 0 ? 0 : sum.getValueAtPercentile(99) / 1000.0;
  }

  /** The last second's latencies, for a node-wide figure; sampler thread only. */
  Histogram lastSecond() {
    return window.peekLast();
  }
}
