package dev.strata.support;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Configuration of nodes with connectors, as {@code strata.yaml} would hold it, for tests. */
public final class ConnectorNodes {

  private ConnectorNodes() {
  }

  /** A connector {@code name} on {@code svc.<name>} to one host, pool 1; add keys with {@code put}. */
  public static JsonObject connector(String name, String hostPort, String codec) {
    return new JsonObject().put("name", name).put("address", "svc." + name)
        .put("hosts", new JsonArray().add(hostPort)).put("codec", codec).put("pool", 1);
  }

  /** A node with these connectors and nothing else (admin off). */
  public static JsonObject node(JsonObject... connectors) {
    JsonArray a = new JsonArray();
    for (JsonObject c : connectors) {
      a.add(c);
    }
    return new JsonObject().put("connectors", a).put("admin", new JsonObject().put("enabled", false));
  }

  /** Runs {@code work} on a fresh event-loop context (as a verticle would) and waits for its outcome. */
  public static <T> T onContext(Vertx vertx, Supplier<Future<T>> work) {
    Context ctx = vertx.getOrCreateContext();
    Promise<T> p = Promise.promise();
    ctx.runOnContext(v -> work.get().onComplete(p));
    return within(p.future(), 60);
  }

  /** The future's result, waiting at most {@code seconds}; its failure is thrown as it is. */
  public static <T> T within(Future<T> f, int seconds) {
    try {
      return f.await(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no outcome within " + seconds + " s", e);
    }
  }
}
