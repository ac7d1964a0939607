package dev.strata.cluster;

import dev.strata.exchange.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Replies {@code <member>:<body>} after {@code holdMs}, so that a member always holds requests in flight;
 * a test application for member-process tests (on the class path {@link dev.strata.support.ChildNode}
 * gives its children).
 */
public final class HeldEchoVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    String member = config().getString("member");
    long holdMs = config().getLong("holdMs", 0L);
    return Endpoint.serve(vertx, config().getString("address"), msg -> {
      String reply = member + ":" + msg.body();
      if (holdMs <= 0) {
        msg.reply(reply);
      } else {
        vertx.setTimer(holdMs, id -> msg.reply(reply));
      }
    });
  }
}
