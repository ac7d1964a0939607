package dev.strata.exchange;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The applications of this Vert.x instance that were registered through {@link Endpoint}, by address:
 * the fast path's routing table. Copy-on-write arrays, since reads (one per socket read) vastly
 * outnumber deployments.
 */
final class LocalEndpoints implements Shareable {

  private static final Endpoint[] NONE = new Endpoint[0];

  private final Map<String, Endpoint[]> byAddress = new ConcurrentHashMap<>();

  static LocalEndpoints of(Vertx vertx) {
    LocalMap<String, LocalEndpoints> map = vertx.sharedData().getLocalMap("strata.exchange");
    LocalEndpoints existing = map.get("endpoints");
    if (existing != null) {
      return existing;
    }
    LocalEndpoints fresh = new LocalEndpoints();
    existing = map.putIfAbsent("endpoints", fresh);
    return existing == null ? fresh : existing;
  }

  void add(Endpoint e) {
    byAddress.compute(e.address(), (k, old) -> {
      Endpoint[] a = old == null ? NONE : old;
      Endpoint[] b = Arrays.copyOf(a, a.length + 1);
      b[a.length] = e;
      return b;
    });
  }

  void remove(Endpoint e) {
    byAddress.computeIfPresent(e.address(), (k, old) -> {
      Endpoint[] b = Arrays.stream(old).filter(x -> x != e).toArray(Endpoint[]::new);
      return b.length == 0 ? null : b;
    });
  }

  /** {@link #pick(String, long)} without a key: the calling thread chooses. */
  Endpoint pick(String address) {
    return pick(address, -1);
  }

  /**
   * An endpoint for the address: one on the calling thread if any (no hop); else the one {@code key}
   * selects, the same for every request of one caller (a listener's connection, a {@link Service}),
   * so that one caller's requests are handled in the order sent, as by a single instance (round-robin
   * handed a pipelined client's reads, or a verticle's requests, to instances that ran them out of
   * order); a negative key: the same one for the calling thread.
   */
  Endpoint pick(String address, long key) {
    Endpoint[] a = byAddress.get(address);
    if (a == null) {
      return null;
    }
    Thread t = Thread.currentThread();
    for (Endpoint e : a) {
      if (e.thread() == t) {
        return e;
      }
    }
    // a key keeps one caller's requests on one instance; without one, the calling thread does
    return a[(int) Math.floorMod(key < 0 ? System.identityHashCode(t) : key, (long) a.length)];
  }
}
