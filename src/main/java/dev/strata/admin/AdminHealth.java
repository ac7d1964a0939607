package dev.strata.admin;

import dev.strata.config.HealthConfig;
import dev.strata.config.ListenerConfig;
import dev.strata.server.Strata;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.util.List;

/**
 * {@code /health}: UP when every listener that was not deliberately drained is bound, the event bus
 * answers a request (to {@link AdminAddresses#PING}) within a second, every event loop runs tasks
 * ({@link EventLoopWatch}) and the heap after the last collection is below
 * {@code admin.health.maxHeapAfterGc} of the maximum ({@link HeapAfterGc}). A DOWN check says why in
 * its {@code data.reason}.
 */
final class AdminHealth implements AutoCloseable {

  private static final long MB = 1024 * 1024;

  private final HealthChecks checks;
  private final EventLoopWatch loops;

  private AdminHealth(HealthChecks checks, EventLoopWatch loops) {
    this.checks = checks;
    this.loops = loops;
  }

  static AdminHealth create(Vertx vertx, Strata strata, HealthConfig config) {
    HealthChecks checks = HealthChecks.create(vertx);
    EventLoopWatch loops = new EventLoopWatch(vertx);
    checks.register("listeners", 2_000, p -> {
      JsonObject data = new JsonObject();
      boolean up = true;
      for (ListenerConfig l : strata.config().listeners()) {
        Integer port = strata.boundPort(l.name());
        if (strata.drained(l.name())) {
          data.put(l.name(), "drained");
        } else if (port == null) {
          data.put(l.name(), "not bound");
          up = false;
        } else {
          data.put(l.name(), "bound to " + l.host() + ":" + port);
        }
      }
      p.complete(up ? Status.OK(data) : Status.KO(data));
    });
    checks.register("event-bus", 2_000, p -> vertx.eventBus()
        .request(AdminAddresses.PING, "ping", new DeliveryOptions().setSendTimeout(1_000))
        .onComplete(ar -> p.complete(ar.succeeded() ? Status.OK()
            : Status.KO(new JsonObject().put("error", String.valueOf(ar.cause().getMessage()))))));
    long maxDelayMs = config.maxEventLoopDelay().toMillis();
    checks.register("event-loops", 2_000, p -> {
      List<String> stalled = loops.stalled(maxDelayMs);
      JsonObject data = new JsonObject().put("loops", loops.size()).put("maxDelayMs", maxDelayMs);
      p.complete(stalled.isEmpty() ? Status.OK(data) : Status.KO(data.put("blocked", new JsonArray(stalled))
          .put("reason", "event loop blocked: " + String.join(", ", stalled))));
    });
    double maxRatio = config.maxHeapAfterGc();
    checks.register("heap", 2_000, p -> {
      long used = HeapAfterGc.used();
      long max = HeapAfterGc.max();
      double ratio = max <= 0 ? 0 : (double) used / max;
      JsonObject data = new JsonObject().put("usedAfterGcMb", used / MB).put("maxMb", max / MB)
          .put("ratio", Math.round(ratio * 1000) / 1000.0).put("maxHeapAfterGc", maxRatio);
      p.complete(ratio <= maxRatio ? Status.OK(data) : Status.KO(data.put("reason", String.format(
          "memory pressure: %d MB of the %d MB heap still in use after the last garbage collection (%.1f%%), "
              + "above admin.health.maxHeapAfterGc %s", used / MB, max / MB, ratio * 100, maxRatio))));
    });
    return new AdminHealth(checks, loops);
  }

  EventLoopWatch loops() {
    return loops;
  }

  HealthChecks checks() {
    return checks;
  }

  @Override
  public void close() {
    loops.close();
  }
}
