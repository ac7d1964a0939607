package dev.strata.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that say which node to start: shared (as a picocli mixin) by {@code strata} and {@code run}. */
final class NodeOptions {

  /** The configuration file alone: also what {@code check-config} reads. */
  static final class Conf {
    @Option(names = {"-c", "--conf"}, defaultValue = "conf/strata.yaml", paramLabel = "FILE",
        description = "Configuration file (default: ${DEFAULT-VALUE}). Keys can be overridden by environment "
            + "variables (STRATA_LISTENERS_ECHO_PORT=7075) or system properties (-Dstrata.admin.port=8081).")
    Path conf;
  }

  @Mixin
  Conf file = new Conf();

  @Option(names = "--cluster", description = "Join the Hazelcast cluster described by cluster.config "
      + "(default conf/cluster.xml), as with cluster.enabled: true.")
  boolean cluster;

  int run() throws InterruptedException {
    return RunCommand.run(file.conf, cluster);
  }
}
