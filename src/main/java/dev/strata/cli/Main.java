package dev.strata.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code strata} command line: {@code run} (the default), {@code check-config}, {@code bench}.
 *
 * <pre>
 *   java -jar target/strata.jar                      # run with conf/strata.yaml
 *   java -jar target/strata.jar --conf other.yaml    # run with another file
 *   java -jar target/strata.jar check-config --conf other.yaml
 * </pre>
 */
@Command(name = "strata", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Strata: layered network applications on Vert.x.%n"
        + "Without a subcommand, runs the node (same options as 'run').",
    subcommands = {RunCommand.class, CheckConfigCommand.class, BenchCommand.class, DeploymentCommands.List.class,
        DeploymentCommands.Deploy.class, DeploymentCommands.Scale.class, DeploymentCommands.Undeploy.class,
        CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

  @Mixin
  NodeOptions node = new NodeOptions();

  @Override
  public Integer call() throws Exception {
    return node.run();
  }


  public static void main(String[] args) {
    Logging.configure();
    System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"strata " + (v == null ? "dev" : v)};
    }
  }
}
