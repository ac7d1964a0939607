package dev.strata.apps;

import dev.strata.exchange.Endpoint;
import dev.strata.exchange.Service;
import dev.strata.exchange.ValueList;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A read-through cache on {@code app.cache} in front of a Redis-speaking service ({@code svc.redis},
 * a connector): the seed's example of an application that receives requests on one protocol (lines,
 * or RESP) and issues requests on another. It sees messages only; the connector does the talking.
 *
 * <ul>
 *   <li>{@code GET k}: from the cache when fresh (a hit), else from the backend (a miss), kept for
 *       {@code ttl} ms (default 30,000);
 *   <li>{@code SET}, {@code DEL} and every other command: sent to the backend as they are; a write to
 *       a key drops it from the cache;
 *   <li>{@code CACHESTATS}: {@code hits N misses M entries E}.
 * </ul>
 *
 * <p>Config: {@code address} (default {@code app.cache}), {@code backend} ({@code svc.redis}),
 * {@code ttl} (ms), {@code maxEntries} (10,000). All instances on a node share one cache.
 */
public final class CacheVerticle extends VerticleBase {

  private Cache cache;
  private Service<Object, Object> backend;
  private long ttlMs;

  /** The node's cache and its counters, shared by the instances. */
  static final class Cache implements Shareable {
    record Entry(Buffer value, long expires) {
    }

    final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final int maxEntries;

    Cache(int maxEntries) {
      this.maxEntries = maxEntries;
    }

    void put(String key, Buffer value, long expires) {
      if (entries.size() >= maxEntries) { // full: make room by dropping whatever comes first
        Iterator<String> it = entries.keySet().iterator();
        if (it.hasNext()) {
          entries.remove(it.next());
        }
      }
      entries.put(key, new Entry(value, expires));
    }
  }

  @Override
  public Future<?> start() {
    String address = config().getString("address", "app.cache");
    ttlMs = config().getLong("ttl", 30_000L);
    int maxEntries = config().getInteger("maxEntries", 10_000);
    LocalMap<String, Cache> caches = vertx.sharedData().getLocalMap("strata.apps.cache");
    Cache fresh = new Cache(maxEntries);
    Cache existing = caches.putIfAbsent(address, fresh);
    cache = existing == null ? fresh : existing;
    backend = Service.at(vertx, config().getString("backend", "svc.redis"),
        new DeliveryOptions().setSendTimeout(config().getLong("timeout", 5_000L)));
    return Endpoint.serve(vertx, address, this::handle);
  }

  private void handle(Message<Object> msg) {
    List<Buffer> args;
    try {
      args = KvVerticle.args(msg.body());
    } catch (IllegalArgumentException e) {
      msg.fail(400, "ERR " + e.getMessage());
      return;
    }
    if (args.isEmpty()) {
      msg.fail(400, "ERR empty command");
      return;
    }
    String cmd = text(args.get(0)).toLowerCase(Locale.ROOT);
    if (cmd.equals("cachestats")) {
      msg.reply("hits " + cache.hits.sum() + " misses " + cache.misses.sum() + " entries " + cache.entries.size());
      return;
    }
    if (cmd.equals("get") && args.size() == 2) {
      get(text(args.get(1)), msg);
      return;
    }
    if (args.size() > 1 && !cmd.equals("ping") && !cmd.equals("echo")) {
      for (int i = 1; i < args.size(); i++) { // a write (or anything) naming a key drops it from the cache
        cache.entries.remove(text(args.get(i)));
      }
    }
    forward(ValueList.copyOf(args), msg);
  }

  private void get(String key, Message<Object> msg) {
    long now = System.currentTimeMillis();
    Cache.Entry e = cache.entries.get(key);
    if (e != null && e.expires() > now) {
      cache.hits.increment();
      msg.reply(e.value());
      return;
    }
    cache.misses.increment();
    backend.request(ValueList.of("GET", key)).onComplete(ar -> {
      if (ar.succeeded() && ar.result() instanceof Buffer value) {
        cache.put(key, value.copy(), now + ttlMs); // a copy: the response may be a slice of a larger read
      }
      answer(ar.succeeded() ? ar.result() : ar.cause(), msg);
    });
  }

  private void forward(ValueList command, Message<Object> msg) {
    backend.request(command).onComplete(ar -> answer(ar.succeeded() ? ar.result() : ar.cause(), msg));
  }

  /** The backend's answer, passed on: its value, or its failure with its code and text. */
  private static void answer(Object outcome, Message<Object> msg) {
    if (outcome instanceof ReplyException re) {
      msg.fail(re.failureCode(), re.getMessage());
    } else if (outcome instanceof Throwable t) {
      msg.fail(500, "ERR " + t.getMessage());
    } else {
      msg.reply(outcome);
    }
  }

  private static String text(Buffer b) {
    return b.toString(StandardCharsets.UTF_8);
  }
}
