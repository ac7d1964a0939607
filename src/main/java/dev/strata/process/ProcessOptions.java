package dev.strata.process;

import java.util.List;
import java.util.Map;

/**
 * What to run and how to reach the bridge from it.
 *
 * @param id             the deployment's id ({@code n0-greet}): part of each instance's private address
 * @param name           the application's name, the prefix of its output in the node's log
 * @param command        the program and its arguments
 * @param address        the address the application answers ({@code app.greet})
 * @param env            extra environment variables
 * @param restartInitialMs first delay before a crashed process starts again; doubles up to {@code restartMaxMs}
 * @param stopTimeoutMs  after SIGTERM, how long before SIGKILL
 * @param bridgeHost     where the child finds the bridge
 * @param bridgeToken    {@code bridge.token}, or null
 */
public record ProcessOptions(String id, String name, List<String> command, String address, Map<String, String> env,
    long restartInitialMs, long restartMaxMs, long stopTimeoutMs, String bridgeHost, int bridgePort,
    String bridgeToken) {

  /** A process that ran this long before it crashed starts again after {@code restartInitialMs}, not longer. */
  static final long RESET_AFTER_MS = 10_000;

  public ProcessOptions {
    command = List.copyOf(command);
    env = Map.copyOf(env);
  }

  /** The command as one line, for messages. */
  String commandLine() {
    return String.join(" ", command);
  }
}
