package dev.strata.cli;

import dev.strata.config.ConfigLoader;
import dev.strata.config.StrataConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Validates a configuration file and prints what it would start, without binding anything. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
    description = "Validate a configuration file (exit 0 when valid, 2 with the key's path when not).")
final class CheckConfigCommand implements Callable<Integer> {

  @Mixin
  NodeOptions.Conf file = new NodeOptions.Conf();

  @Override
  public Integer call() {
    Path conf = file.conf;
    Vertx vertx = Vertx.vertx();
    try {
      StrataConfig c = ConfigLoader.load(vertx, conf).await();
      System.out.println(conf + ": ok, " + c.listeners().size() + " listener(s), " + c.connectors().size()
          + " connector(s), " + c.apps().size() + " app(s)");
      c.listeners().forEach(l -> System.out.printf("  listener %-10s %s:%d codec %s -> %s%n",
          l.name(), l.host(), l.port(), l.codec(), l.address()));
      c.connectors().forEach(k -> System.out.printf("  connector %-9s %s -> %s codec %s, %s, pool %d%n",
          k.name(), k.address(), String.join(",", k.hosts()), k.codec(), k.correlation().text(), k.pool()));
      if (c.bridge().enabled()) {
        System.out.printf("  %-20s%s:%d (event bus for other languages)%n", "bridge", c.bridge().host(), c.bridge().port());
      }
      return 0;
    } catch (Exception e) {
      System.err.println("strata: invalid configuration " + conf + ": " + e.getMessage());
      return 2;
    } finally {
      vertx.close();
    }
  }
}
