package dev.strata.apps;

import dev.strata.exchange.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Replies with the request's body, on {@code app.echo} (or the address in its config). */
public final class EchoVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    String address = config().getString("address", "app.echo");
    return Endpoint.serve(vertx, address, msg -> msg.reply(msg.body()));
  }
}
