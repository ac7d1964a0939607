package dev.strata.admin;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Notices a blocked event loop: each of Vert.x's event loops runs a tiny task every
 * {@value #TICK_MS} ms that records when it ran; a loop whose last run is older than the allowed delay
 * is blocked (or swamped), and every connection on it waits. Reading the times blocks nothing, so the
 * health check that asks may run anywhere. Vert.x's own blocked-thread checker only logs; this makes
 * it visible to {@code /health}.
 */
final class EventLoopWatch implements AutoCloseable {

  static final long TICK_MS = 250;

  private static final class Loop implements Runnable {
    volatile long ranAt = System.nanoTime();
    volatile String thread = "event loop";
    ScheduledFuture<?> tick;

    @Override
    public void run() {
      ranAt = System.nanoTime();
      thread = Thread.currentThread().getName();
    }
  }

  private final List<Loop> loops = new ArrayList<>();

  EventLoopWatch(Vertx vertx) {
    // Vert.x 5 keeps its Netty event loops on the internal interface; there is no public way to reach each loop
    for (EventExecutor executor : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      Loop loop = new Loop();
      loop.tick = executor.scheduleAtFixedRate(loop, 0, TICK_MS, TimeUnit.MILLISECONDS);
      loops.add(loop);
    }
  }

  /** How late the latest tick of the most delayed loop is, in ms (0 when every loop keeps up). */
  long maxDelayMs() {
    long now = System.nanoTime();
    long worst = 0;
    for (Loop loop : loops) {
      worst = Math.max(worst, TimeUnit.NANOSECONDS.toMillis(now - loop.ranAt) - TICK_MS);
    }
    return Math.max(0, worst);
  }

  /** The loops that have run no task for longer than {@code maxDelayMs}, each as "thread (N ms)". */
  List<String> stalled(long maxDelayMs) {
    long now = System.nanoTime();
    List<String> out = new ArrayList<>();
    for (Loop loop : loops) {
      long idleMs = TimeUnit.NANOSECONDS.toMillis(now - loop.ranAt);
      if (idleMs > maxDelayMs) {
        out.add(loop.thread + " (no task run for " + idleMs + " ms)");
      }
    }
    return out;
  }

  int size() {
    return loops.size();
  }

  @Override
  public void close() {
    loops.forEach(l -> l.tick.cancel(false));
  }
}
