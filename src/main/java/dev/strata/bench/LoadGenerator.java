package dev.strata.bench;

import dev.strata.framing.FrameCodec;
import dev.strata.framing.FrameReceiver;
import dev.strata.framing.FramedStream;
import dev.strata.framing.FramingException;
import dev.strata.framing.RespError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives a listener with pipelined requests over N connections and measures replies: throughput,
 * and latency percentiles from HdrHistogram. Closed loop by default (each reply lets one more
 * request go, at most {@code pipeline} outstanding per connection); open loop at a fixed rate with
 * latency measured from the intended send time.
 */
public final class LoadGenerator {

  private final Vertx vertx;
  private final BenchOptions o;
  private final FrameCodec<?> codec;
  private final RequestFactory requests;
  private final PrintStream progress;
  private final Recorder recorder = new Recorder(3);
  private final Histogram total = new Histogram(3);
  private final LongAdder replies = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();
  private final AtomicLong quota;
  private final AtomicLong sequence = new AtomicLong();
  private volatile boolean measuring;
  private volatile boolean stopping;
  private long measureStart;
  private long measureEnd;

  public LoadGenerator(Vertx vertx, BenchOptions options, FrameCodec<?> codec, PrintStream progress) {
    this.vertx = vertx;
    this.o = options;
    this.codec = codec;
    this.requests = new RequestFactory(codec, options);
    this.progress = progress;
    this.quota = new AtomicLong(options.requests() == 0 ? Long.MAX_VALUE : options.requests());
  }

  public Future<BenchReport> run() {
    // --tls measures what TLS costs, not whom to trust: any certificate is accepted
    NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5_000)
        .setSsl(o.tls()).setTrustAll(o.tls()).setHostnameVerificationAlgorithm(""));
    List<Future<Void>> done = new ArrayList<>();
    List<Future<NetSocket>> connected = new ArrayList<>();
    for (int i = 0; i < o.connections(); i++) {
      connected.add(client.connect(o.port(), o.host()));
    }
    return Future.all(connected).compose(all -> {
      measuring = o.warmup().isZero();
      long warm = o.warmup().toMillis();
      if (!measuring) {
        vertx.setTimer(warm, id -> startMeasuring());
      } else {
        startMeasuring();
      }
      if (o.requests() == 0) {
        vertx.setTimer(warm + o.duration().toMillis(), id -> stopping = true);
      }
      long tick = vertx.setPeriodic(1_000, id -> tick());
      for (Future<NetSocket> f : connected) {
        Promise<Void> p = Promise.promise();
        done.add(p.future());
        vertx.runOnContext(v -> new Conn(f.result(), p).start());
      }
      return Future.join(done).eventually(() -> {
        vertx.cancelTimer(tick);
        return client.close();
      });
    }).map(v -> report());
  }

  private void startMeasuring() {
    recorder.reset();
    replies.reset();
    errors.reset();
    bytesIn.reset();
    bytesOut.reset();
    measureStart = System.nanoTime();
    measuring = true;
  }

  private synchronized void tick() {
    if (!measuring) {
      progress.printf("  warming up...%n");
      return;
    }
    Histogram h = recorder.getIntervalHistogram();
    total.add(h);
    double secs = (System.nanoTime() - measureStart) / 1e9;
    progress.printf("  %5.1fs %,12d req/s   p50 %7.3f ms   p99 %7.3f ms   errors %d%n", secs,
        h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, errors.sum());
  }

  private synchronized BenchReport report() {
    measureEnd = System.nanoTime();
    total.add(recorder.getIntervalHistogram());
    double secs = (measureEnd - measureStart) / 1e9;
    return new BenchReport(o, replies.sum(), errors.sum(), secs, bytesOut.sum(), bytesIn.sum(), total.copy());
  }

  /**
   * How many requests of one connection are due {@code elapsed} ns into the run: request k is due
   * at k periods, so request 0 at once. (Counting only whole periods elapsed made every request one
   * period late before it was sent, and that period showed up as latency.)
   */
  static long dueBy(long elapsed, long period) {
    return elapsed / period + 1;
  }

  /** One connection, on its own event loop. */
  private final class Conn implements FrameReceiver<Object>, FramedStream.Counters {
    private final NetSocket socket;
    private final Promise<Void> done;
    private final FramedStream<Object> framed;
    private final long perConnRateNanos;
    private long[] sent = new long[64];
    private int head;
    private int size;
    private long backlogDue;
    private long scheduled;
    private long openLoopStart;

    @SuppressWarnings("unchecked")
    Conn(NetSocket socket, Promise<Void> done) {
      this.socket = socket;
      this.done = done;
      this.framed = FramedStream.create((FrameCodec<Object>) codec, socket, socket, this, vertx.getOrCreateContext());
      this.perConnRateNanos = o.rate() == 0 ? 0 : (long) (1e9 * o.connections() / o.rate());
    }

    void start() {
      framed.start(this);
      socket.closeHandler(v -> finish());
      if (perConnRateNanos == 0) {
        fill(System.nanoTime());
        flush();
      } else {
        openLoopStart = System.nanoTime();
        vertx.setPeriodic(1, id -> {
          if (stopping || quotaExhausted()) {
            vertx.cancelTimer(id);
            finishIfIdle();
            return;
          }
          long due = dueBy(System.nanoTime() - openLoopStart, perConnRateNanos);
          for (; scheduled < due; scheduled++) {
            backlogDue++;
          }
          fill(0);
          flush();
        });
      }
    }

    private boolean quotaExhausted() {
      return quota.get() <= 0;
    }

    /** Sends while the window allows; closed loop stamps now, open loop the intended send times. */
    private void fill(long now) {
      while (size < o.pipeline() && !stopping) {
        long stamp;
        if (perConnRateNanos == 0) {
          stamp = now;
        } else {
          if (backlogDue == 0) {
            return;
          }
          stamp = openLoopStart + (scheduled - backlogDue) * perConnRateNanos;
          backlogDue--;
        }
        if (quota.getAndDecrement() <= 0) {
          return;
        }
        push(stamp);
        framed.writeEncoded(requests.request(sequence.getAndIncrement()), 1);
      }
    }

    private void flush() {
      framed.flush();
    }

    @Override
    public void read(int bytes) {
      bytesIn.add(bytes);
    }

    @Override
    public void wrote(int bytes, int frames) {
      bytesOut.add(bytes);
    }

    /** Each reply lets one more request go; the read's flush sends them together. */
    @Override
    public void readComplete() {
      fill(System.nanoTime());
      finishIfIdle();
    }

    @Override
    public void frame(Object frame) {
      long t0 = pop();
      if (measuring) {
        replies.increment();
        recorder.recordValue(Math.max(0, (System.nanoTime() - t0) / 1_000));
        if (isError(frame)) {
          errors.increment();
        }
      }
    }

    @Override
    public boolean error(FramingException error) {
      progress.println("  framing error from server: " + error.getMessage());
      socket.close();
      return false;
    }

    private void finishIfIdle() {
      if (size == 0 && (stopping || quotaExhausted())) {
        socket.close();
      }
    }

    private void finish() {
      done.tryComplete();
    }

    private void push(long t) {
      if (size == sent.length) {
        long[] bigger = new long[sent.length * 2];
        for (int i = 0; i < size; i++) {
          bigger[i] = sent[(head + i) % sent.length];
        }
        sent = bigger;
        head = 0;
      }
      sent[(head + size) % sent.length] = t;
      size++;
    }

    private long pop() {
      long t = sent[head];
      head = (head + 1) % sent.length;
      size--;
      return t;
    }
  }

  static boolean isError(Object frame) {
    if (frame instanceof RespError) {
      return true;
    }
    if (frame instanceof Buffer b) {
      return b.length() > 0 && b.getByte(0) == '-';
    }
    // a listener's json error, or a bridge's err frame
    return frame instanceof JsonObject j && (j.containsKey("error") || "err".equals(j.getValue("type")));
  }

  /** Waits (off the event loop) for a run; for the command line. */
  public static BenchReport runBlocking(Vertx vertx, BenchOptions o, FrameCodec<?> codec, PrintStream progress)
      throws Exception {
    return new LoadGenerator(vertx, o, codec, progress).run().toCompletionStage().toCompletableFuture()
        .get(o.warmup().toSeconds() + Math.max(o.duration() == null ? 0 : o.duration().toSeconds(), 3600) + 60,
            TimeUnit.SECONDS);
  }
}
