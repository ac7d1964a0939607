package dev.strata.server;

import dev.strata.exchange.Endpoint;
import dev.strata.exchange.ValueList;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * A test application that remembers what it applied: {@code INCR key} over RESP, answered with the
 * new value (every fourth a little later, so requests are in flight at any moment). When it is
 * undeployed it writes its counts to the file in its config: the truth a client's replies are checked
 * against after the node has gone. Keys starting with {@code held} are never answered.
 */
public final class AppliedCounter extends VerticleBase {

  private final Map<String, Object> counts = new HashMap<>();

  @Override
  public Future<?> start() {
    return Endpoint.serve(vertx, config().getString("address", "app.count"), msg -> {
      ValueList command = (ValueList) msg.body();
      String key = ((Buffer) command.get(1)).toString();
      if (key.startsWith("held")) {
        return; // never answered: the shutdown deadline cuts it
      }
      long n = (Long) counts.merge(key, 1L, (a, b) -> (Long) a + (Long) b);
      if ((n & 3) == 0) {
        vertx.setTimer(2, id -> msg.reply(n));
      } else {
        msg.reply(n);
      }
    });
  }

  @Override
  public Future<?> stop() {
    return vertx.fileSystem().writeFile(config().getString("file"), Buffer.buffer(new JsonObject(counts).encode()));
  }
}
