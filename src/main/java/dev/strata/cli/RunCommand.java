package dev.strata.cli;

import dev.strata.admin.AdminMetrics;
import dev.strata.admin.AdminServer;
import dev.strata.admin.LiveStats;
import dev.strata.config.ConfigException;
import dev.strata.config.ConfigLoader;
import dev.strata.config.StrataConfig;
import dev.strata.exchange.ExchangeObserver;
import dev.strata.server.Strata;
import dev.strata.stream.ConnectionRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Starts a node from a configuration file and runs until Ctrl-C (or SIGTERM), then stops cleanly. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run Strata: applications, listeners and the admin server from the configuration.")
final class RunCommand implements Callable<Integer> {

  @Mixin
  NodeOptions node = new NodeOptions();

  @Override
  public Integer call() throws Exception {
    return node.run();
  }

  static int run(Path conf, boolean cluster) throws InterruptedException {
    StrataConfig config;
    Vertx boot = Vertx.vertx();
    try {
      config = ConfigLoader.load(boot, conf).await();
    } catch (ConfigException e) {
      System.err.println("strata: invalid configuration " + conf + ": " + e.getMessage());
      return 2;
    } finally {
      boot.close().await();
    }
    Vertx vertx;
    try {
      vertx = Nodes.create(config, cluster);
    } catch (Exception e) {
      System.err.println("strata: cannot start the node: " + e.getMessage());
      return 1;
    }
    Strata strata;
    AdminServer admin = null;
    try {
      // The admin's live stats observe the node from its first connection, so they come first.
      ConnectionRegistry registry = new ConnectionRegistry();
      LiveStats stats = config.admin().enabled() ? LiveStats.create(config, registry, AdminMetrics.registry()) : null;
      strata = Strata.start(vertx, config, registry, stats == null ? ExchangeObserver.NONE : stats).await();
      if (stats != null) {
        admin = AdminServer.start(vertx, strata, config.admin(), stats).await();
      }
    } catch (Exception e) {
      System.err.println("strata: failed to start: " + e.getMessage());
      vertx.close().await();
      return 1;
    }
    strata.configFile(conf);
    Signals.onHangup(() -> strata.reload().onComplete(ar -> System.out.println(ar.succeeded()
        ? "strata: reloaded " + conf + ": " + ar.result().encode()
        : "strata: reload of " + conf + " refused, nothing changed: " + ar.cause().getMessage())));
    System.out.println("strata started with " + conf + (vertx.isClustered() ? " (clustered, node " + strata.nodeId() + ")" : ""));
    strata.describe().forEach(line -> System.out.println("  " + line));
    if (admin != null) {
      System.out.println("  admin    http://" + config.admin().host() + ":" + admin.port() + "/  (dashboard, /api, /metrics, /health)");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    AdminServer a = admin;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("strata: stopping");
      try {
        if (a != null) {
          a.stop().await();
        }
        strata.stop().await();
        System.out.println("strata: " + strata.shutdownReport()); // stdout: JUL is reset by its own shutdown hook
        vertx.close().await();
      } catch (Exception e) {
        System.err.println("strata: error while stopping: " + e.getMessage());
      }
      System.out.println("strata: stopped");
      stopped.countDown();
    }, "strata-shutdown"));
    stopped.await();
    return 0;
  }
}
