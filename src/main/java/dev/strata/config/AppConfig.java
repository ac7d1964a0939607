package dev.strata.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An application to deploy: a verticle class, or a program in another language ({@code process}) that
 * Strata runs and supervises, one child process per instance, and that answers {@code address}
 * through the event-bus bridge (docs/polyglot.md).
 *
 * @param verticle    fully qualified class name of a {@code Deployable} (e.g. {@code VerticleBase}); or
 * @param process     the command to run ({@code [python3, verticles/greet.py]}); needs the bridge
 * @param address     a process's address ({@code app.greet}); required with {@code process}
 * @param instances   how many; 0 = one per core (default: 0 for a verticle, 1 for a process)
 * @param config      handed to the verticle as its {@code config()}
 * @param ha          in a cluster: when this member dies, Vert.x redeploys the application on a survivor
 *                    (verticles only: refused for a process application)
 *                    (Vert.x HA; see {@code cluster.quorum}); default false
 * @param env         extra environment variables of a process
 * @param restart     delays before a crashed process is started again: {@code initial}, doubling up to {@code max}
 * @param stopTimeout how long a process has to exit after SIGTERM before it gets SIGKILL (default 5s)
 */
public record AppConfig(String name, String verticle, Integer instances, Map<String, Object> config, Boolean ha,
    List<String> process, String address, Map<String, String> env, Restart restart,
    @JsonDeserialize(using = DurationDeserializer.class) Duration stopTimeout) {

  public AppConfig {
    ListenerConfig.require(verticle == null || process == null, "process", "give either verticle or process, not both");
    if (process == null) {
      ListenerConfig.require(verticle != null && !verticle.isBlank(), "verticle", "is required (or process)");
      ListenerConfig.require(address == null, "address", "is for process applications; a verticle chooses its own");
      name = name == null ? verticle.substring(verticle.lastIndexOf('.') + 1) : name;
    } else {
      ListenerConfig.require(!process.isEmpty() && process.stream().noneMatch(a -> a == null || a.isEmpty()),
          "process", "must be a non-empty list of non-empty words, the program first ([python3, verticles/greet.py])");
      ListenerConfig.require(address != null && !address.isBlank(), "address",
          "is required with process: the event-bus address the program answers (app.greet)");
      ListenerConfig.require(ha == null || !ha, "ha", "is for verticle applications: Vert.x HA redeploys a verticle "
          + "on another member, and a process application runs a program of this machine; give each member that "
          + "may serve it its own process application");
      process = List.copyOf(process);
      name = name == null ? programName(process) : name;
      instances = instances == null ? 1 : instances;
    }
    instances = instances == null ? 0 : instances;
    ListenerConfig.require(instances >= 0, "instances", instances + " must be >= 0 (0 = one per core)");
    config = config == null ? Map.of() : config;
    ha = ha != null && ha;
    env = env == null ? Map.of() : Map.copyOf(env);
    restart = restart == null ? new Restart(null, null) : restart;
    stopTimeout = stopTimeout == null ? Duration.ofSeconds(5) : stopTimeout;
    ListenerConfig.require(stopTimeout.toMillis() > 0, "stopTimeout", "must be > 0");
  }

  /** A verticle application, as before process applications existed. */
  public AppConfig(String name, String verticle, Integer instances, Map<String, Object> config, Boolean ha) {
    this(name, verticle, instances, config, ha, null, null, null, null, null);
  }

  /** {@code greet} for {@code [python3, verticles/greet.py]}: the last word's file name, without extension. */
  private static String programName(List<String> process) {
    String last = process.get(process.size() - 1);
    String file = last.substring(last.lastIndexOf('/') + 1);
    int dot = file.lastIndexOf('.');
    return (dot > 0 ? file.substring(0, dot) : file).replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  /** Delays before a crashed process starts again: {@code initial}, doubling up to {@code max}. */
  public record Restart(
      @JsonDeserialize(using = DurationDeserializer.class) Duration initial,
      @JsonDeserialize(using = DurationDeserializer.class) Duration max) {
    public Restart {
      initial = initial == null ? Duration.ofMillis(200) : initial;
      max = max == null ? Duration.ofSeconds(30) : max;
      // keys relative to this record: the loader puts its path ("apps[0].restart") in front
      ListenerConfig.require(initial.toMillis() > 0, "initial", "must be > 0");
      ListenerConfig.require(max.compareTo(initial) >= 0, "max", max.toMillis() + " ms must be >= restart.initial ("
          + initial.toMillis() + " ms)");
    }
  }
}
