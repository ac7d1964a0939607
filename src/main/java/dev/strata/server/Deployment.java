package dev.strata.server;

import dev.strata.process.ProcessGroup;
import dev.strata.process.ProcessOptions;
import io.vertx.core.json.JsonObject;

/**
 * An application deployed on this node: from the YAML at start ({@code source} "config") or at run
 * time through the admin API ({@code source} "api").
 *
 * @param id        this node's id for it, {@code <node>-<name>} (stable across scaling)
 * @param vertxId   Vert.x's deployment id of its current instances
 * @param process   a process application's command and its live instances; null for a verticle
 */
public record Deployment(String id, String name, String verticle, int instances, JsonObject config, String source,
    long deployedAt, String vertxId, Process process) {

  /** A process application: what runs, what it answers, and its instances (pid, state, restarts...). */
  public record Process(ProcessOptions options, ProcessGroup group) {
  }

  public JsonObject toJson() {
    JsonObject out = new JsonObject().put("id", id).put("name", name).put("verticle", verticle)
        .put("instances", instances).put("config", config).put("source", source).put("deployedAt", deployedAt);
    if (process != null) {
      out.put("process", process.options().command()).put("address", process.options().address())
          .put("processes", process.group().toJson());
    }
    return out;
  }

  Deployment withInstances(int n, String newVertxId, Process newProcess) {
    return new Deployment(id, name, verticle, n, config, source, deployedAt, newVertxId, newProcess);
  }
}
