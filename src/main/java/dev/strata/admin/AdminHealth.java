package dev.strata.admin;

import dev.strata.config.ListenerConfig;
import dev.strata.server.Strata;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

/**
 * {@code /health}: UP when every listener that was not deliberately drained is bound, and the event
 * bus answers a request (to {@link AdminAddresses#PING}) within a second.
 */
final class AdminHealth {

  private AdminHealth() {
  }

  static HealthChecks create(Vertx vertx, Strata strata) {
    HealthChecks checks = HealthChecks.create(vertx);
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
    return checks;
  }
}
