package dev.strata.cluster;

import dev.strata.exchange.Endpoint;
import dev.strata.exchange.Headers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * On {@code app.push}: a request {@code <connection id> <text>} pushes {@code <text>} to that connection
 * (a request to its push address) and replies {@code pushed}, or {@code failed: <reason>}. A test
 * application for member-process tests: an application that pushes to connections of any member.
 */
public final class PusherVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    return Endpoint.serve(vertx, "app.push", msg -> {
      String[] parts = String.valueOf(msg.body()).split(" ", 2);
      vertx.eventBus().request(Headers.pushAddress(Long.parseLong(parts[0])), parts[1])
          .onComplete(ar -> msg.reply(ar.succeeded() ? "pushed" : "failed: " + ar.cause().getMessage()));
    });
  }
}
