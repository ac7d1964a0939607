package dev.strata.connector.bench;

import dev.strata.config.ConfigLoader;
import dev.strata.exchange.Service;
import dev.strata.exchange.ValueList;
import dev.strata.server.Strata;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code svc.redis} through Strata's connector against vertx-redis-client (what a Vert.x user would
 * take instead), side by side against the same redis-server: a verticle keeps {@code inflight}
 * requests outstanding and counts answers over a fixed time; the variants run in alternated rounds so
 * that machine drift hits all of them. Prints requests/s per round, medians, and ratios to the best
 * vertx-redis-client variant.
 *
 * <pre>
 * mvn -Pjmh -DskipTests package
 * redis-server --port 6390 --save '' --appendonly no &amp;
 * java -cp target/benchmarks.jar dev.strata.connector.bench.ConnectorVsRedisClient 6390 [inflight=64] [seconds=10] [rounds=3] [command=GET]
 * </pre>
 */
public final class ConnectorVsRedisClient {

  private static final String KEY = "bench:key";

  /** A way to issue one request, made on the driver's context. */
  interface Op {
    Future<?> call();
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 6379;
    int inflight = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    String command = args.length > 4 ? args[4].toUpperCase() : "GET";
    int cores = Runtime.getRuntime().availableProcessors();
    // as a Strata node runs: one event loop per core
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(cores)).build();
    JsonObject node = new JsonObject().put("admin", new JsonObject().put("enabled", false))
        .put("connectors", new JsonArray().add(new JsonObject().put("name", "redis").put("address", "svc.redis")
            .put("hosts", new JsonArray().add("127.0.0.1:" + port)).put("codec", "resp")));
    Strata.start(vertx, ConfigLoader.bind(node, Map.of(), Map.of())).await();
    String endpoint = "redis://127.0.0.1:" + port;
    Redis setup = Redis.createClient(vertx, endpoint);
    setup.send(Request.cmd(Command.SET).arg(KEY).arg("0123456789abcdef")).await();

    Map<String, Supplier<VerticleBase>> variants = new LinkedHashMap<>();
    variants.put("strata connector, Service.at (fast path)", () -> driver(inflight, seconds, v -> {
      Service<Object, Object> svc = Service.at(v, "svc.redis");
      return Future.succeededFuture(() -> svc.request(request(command)));
    }));
    variants.put("strata connector, eventBus().request", () -> driver(inflight, seconds,
        v -> Future.succeededFuture(() -> v.eventBus().request("svc.redis", request(command)))));
    variants.put("vertx-redis-client, one connection", () -> driver(inflight, seconds, v -> {
      return Redis.createClient(v, new RedisOptions().setConnectionString(endpoint)
          .setMaxWaitingHandlers(inflight * 2)).connect().map(conn -> () -> conn.send(redisRequest(command)));
    }));
    variants.put("vertx-redis-client, pooled client", () -> driver(inflight, seconds, v -> {
      Redis redis = Redis.createClient(v, new RedisOptions().setConnectionString(endpoint).setMaxPoolSize(4)
          .setMaxPoolWaiting(inflight * 2).setMaxWaitingHandlers(inflight * 2));
      return Future.succeededFuture(() -> redis.send(redisRequest(command)));
    }));

    System.out.printf("%d in flight, %d s per run, %d rounds, %s, %d event loops%n", inflight, seconds, rounds,
        command, cores);
    Map<String, List<Double>> results = new LinkedHashMap<>();
    for (String name : variants.keySet()) { // warm-up round, not counted
      run(vertx, variants.get(name), Math.max(2, seconds / 2));
    }
    for (int r = 1; r <= rounds; r++) {
      for (Map.Entry<String, Supplier<VerticleBase>> e : variants.entrySet()) {
        double rate = run(vertx, e.getValue(), seconds);
        results.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(rate);
        System.out.printf("  round %d  %-42s %,12.0f req/s%n", r, e.getKey(), rate);
      }
    }
    double best = 0;
    for (Map.Entry<String, List<Double>> e : results.entrySet()) {
      if (e.getKey().startsWith("vertx-redis-client")) {
        best = Math.max(best, median(e.getValue()));
      }
    }
    System.out.println("medians (ratio to the faster vertx-redis-client variant):");
    for (Map.Entry<String, List<Double>> e : results.entrySet()) {
      double m = median(e.getValue());
      System.out.printf("  %-42s %,12.0f req/s  %5.2fx%n", e.getKey(), m, m / best);
    }
    vertx.close().await();
  }

  private static Object request(String command) {
    return command.equals("SET") ? ValueList.of("SET", KEY, "0123456789abcdef") : ValueList.of(command, KEY);
  }

  private static Request redisRequest(String command) {
    return command.equals("SET") ? Request.cmd(Command.SET).arg(KEY).arg("0123456789abcdef")
        : Request.cmd(Command.create(command)).arg(KEY);
  }

  private static double run(Vertx vertx, Supplier<VerticleBase> driver, int seconds) throws Exception {
    Driver d = (Driver) driver.get();
    String id = vertx.deployVerticle(d).await();
    double rate = d.result.future().await();
    vertx.undeploy(id).await();
    return rate;
  }

  private static VerticleBase driver(int inflight, int seconds, java.util.function.Function<Vertx, Future<Op>> op) {
    return new Driver(inflight, seconds, op);
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Double::compare);
    return s.get(s.size() / 2);
  }

  /** Keeps {@code inflight} requests outstanding for {@code seconds}, counting answers. */
  private static final class Driver extends VerticleBase {
    final Promise<Double> result = Promise.promise();
    private final int inflight;
    private final int seconds;
    private final java.util.function.Function<Vertx, Future<Op>> make;
    private Op op;
    private long answered;
    private long errors;
    private int outstanding;
    private boolean stopping;
    private double rate;

    Driver(int inflight, int seconds, java.util.function.Function<Vertx, Future<Op>> make) {
      this.inflight = inflight;
      this.seconds = seconds;
      this.make = make;
    }

    @Override
    public Future<?> start() {
      return make.apply(vertx).onSuccess(o -> {
        op = o;
        begin();
      });
    }

    private void begin() {
      long started = System.nanoTime();
      vertx.setTimer(seconds * 1000L, t -> {
        stopping = true;
        rate = answered / ((System.nanoTime() - started) / 1e9);
      });
      for (int i = 0; i < inflight; i++) {
        next();
      }
    }

    private void next() {
      if (stopping) {
        if (outstanding == 0) {
          result.tryComplete(rate); // every request answered: the next variant starts on a quiet connection
        }
        return;
      }
      outstanding++;
      op.call().onComplete(ar -> {
        outstanding--;
        if (ar.succeeded()) {
          answered++;
        } else if (errors++ == 0) {
          System.err.println("  error: " + ar.cause());
        }
        next();
      });
    }
  }
}
