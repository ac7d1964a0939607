package dev.strata.apps;

import dev.strata.exchange.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * verticles/greet.py in Java, for comparing a process application with a verticle
 * (src/bench/process-vs-java.sh): "ada" or {@code GREET ada} -> "hello, ada", on {@code app.greet}
 * (or the address in its config).
 */
public final class GreetVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    return Endpoint.serve(vertx, config().getString("address", "app.greet"), this::greet);
  }

  private void greet(Message<Object> msg) {
    String name;
    if (msg.body() instanceof List<?> command) { // RESP: GREET name...
      if (command.isEmpty() || !"GREET".equalsIgnoreCase(text(command.get(0)))) {
        msg.fail(500, "unknown command; try GREET <name>");
        return;
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i < command.size(); i++) {
        sb.append(i > 1 ? " " : "").append(text(command.get(i)));
      }
      name = sb.toString();
    } else {
      name = text(msg.body()).strip();
    }
    if (name.isEmpty()) {
      msg.fail(500, "a name is required");
      return;
    }
    msg.reply("hello, " + name);
  }

  private static String text(Object o) {
    return o instanceof Buffer b ? b.toString(StandardCharsets.UTF_8) : String.valueOf(o);
  }
}
