package dev.strata.server;

import dev.strata.config.ConfigException;
import dev.strata.config.TlsConfig;
import dev.strata.config.TlsFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * Reloads the node's certificates without a restart: each server's {@code tls} block (by its key path,
 * {@code listeners[0].tls}, {@code bridge.tls}, {@code admin.tls}) with the servers it configures. A reload
 * checks the files first ({@link TlsFiles}), then gives every server new options: new handshakes get the new
 * certificate, open connections keep theirs. A bad file changes nothing and is logged with its key's path.
 *
 * <p>Triggers: a change of a file's content, looked for every {@code reloadCheck}; and
 * {@link #reloadAll()} ({@code POST /api/tls/reload}). File reads run on a worker, never the event loop.
 */
public final class TlsReloads {

  private static final System.Logger LOG = System.getLogger(TlsReloads.class.getName());

  private final Vertx vertx;
  private final Map<String, Target> targets = new ConcurrentHashMap<>();

  TlsReloads(Vertx vertx) {
    this.vertx = vertx;
  }

  private static final class Target {
    final String path;
    final TlsConfig tls;
    final List<Function<ServerSSLOptions, Future<Boolean>>> servers = new CopyOnWriteArrayList<>();
    volatile String stamp;
    long timer = -1;

    Target(String path, TlsConfig tls) {
      this.path = path;
      this.tls = tls;
    }
  }

  /**
   * Adds a server configured by the block at {@code path}; the returned runnable removes it (a stopped
   * listener instance). The first server of a path starts its periodic check.
   */
  public synchronized Runnable register(String path, TlsConfig tls, Function<ServerSSLOptions, Future<Boolean>> server) {
    Target t = targets.get(path);
    if (t == null || !t.tls.equals(tls)) { // new, or its block changed (a configuration reload redeployed it)
      if (t != null && t.timer >= 0) {
        vertx.cancelTimer(t.timer);
      }
      Target n = new Target(path, tls);
      long every = tls.reloadEvery().toMillis();
      if (every > 0) {
        vertx.executeBlocking(() -> stamp(tls)).onSuccess(s -> n.stamp = s);
        n.timer = vertx.setPeriodic(every, id -> checkForChange(n));
      }
      targets.put(path, n);
      t = n;
    }
    Target added = t;
    added.servers.add(server);
    return () -> added.servers.remove(server);
  }

  /** Reloads every block; the result maps each key path to {@code reloaded} or the reason it was not. */
  public Future<JsonObject> reloadAll() {
    List<Target> all = new ArrayList<>(targets.values());
    JsonObject result = new JsonObject();
    List<Future<Void>> each = new ArrayList<>();
    for (Target t : all) {
      each.add(reload(t).transform(ar -> {
        synchronized (result) {
          result.put(t.path, ar.succeeded() ? "reloaded" : ar.cause().getMessage());
        }
        return Future.<Void>succeededFuture();
      }));
    }
    return Future.join(each).transform(ar -> Future.succeededFuture(result));
  }

  private void checkForChange(Target t) {
    vertx.executeBlocking(() -> stamp(t.tls)).onSuccess(s -> {
      if (t.stamp != null && !s.equals(t.stamp)) {
        t.stamp = s;
        reload(t).onSuccess(v -> LOG.log(System.Logger.Level.INFO, "{0}: files changed, certificates reloaded", t.path));
      } else {
        t.stamp = s;
      }
    });
  }

  /** Checks the files, then updates every server; fails with the key path and reason when a file is bad. */
  private Future<Void> reload(Target t) {
    return vertx.executeBlocking(() -> {
      try {
        TlsFiles.check(t.tls);
      } catch (ConfigException e) {
        throw new IllegalArgumentException(t.path + "." + e.getMessage(), e);
      }
      t.stamp = stamp(t.tls);
      return t.tls.serverOptionsFromContents();
    }).compose(options -> {
      List<Future<Boolean>> updates = new ArrayList<>();
      for (Function<ServerSSLOptions, Future<Boolean>> s : t.servers) {
        updates.add(s.apply(options.copy()));
      }
      return Future.all(updates).<Void>mapEmpty()
          .recover(err -> Future.failedFuture(new IllegalStateException(t.path + ": " + err.getMessage(), err)));
    }).onFailure(err -> LOG.log(System.Logger.Level.WARNING, "TLS reload refused, the certificates in use stay: {0}",
        err.getMessage()));
  }

  /**
   * A checksum of every file's content: certificate files are small, and a timestamp can miss a file
   * replaced twice within its granularity, or catch a touch that changed nothing.
   */
  private static String stamp(TlsConfig tls) {
    StringBuilder sb = new StringBuilder();
    for (String f : tls.files()) {
      try {
        CRC32 crc = new CRC32();
        crc.update(Files.readAllBytes(Path.of(f)));
        sb.append(Long.toHexString(crc.getValue())).append(';');
      } catch (IOException e) {
        sb.append("missing;");
      }
    }
    return sb.toString();
  }

  void close() {
    targets.values().forEach(t -> {
      if (t.timer >= 0) {
        vertx.cancelTimer(t.timer);
      }
    });
    targets.clear();
  }
}
