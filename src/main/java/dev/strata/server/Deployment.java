package dev.strata.server;

import io.vertx.core.json.JsonObject;

/**
 * An application deployed on this node: from the YAML at start ({@code source} "config") or at run
 * time through the admin API ({@code source} "api").
 *
 * @param id        this node's id for it, {@code <node>-<name>} (stable across scaling)
 * @param vertxId   Vert.x's deployment id of its current instances
 */
public record Deployment(String id, String name, String verticle, int instances, JsonObject config, String source,
    long deployedAt, String vertxId) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name).put("verticle", verticle).put("instances", instances)
        .put("config", config).put("source", source).put("deployedAt", deployedAt);
  }

  Deployment withInstances(int n, String newVertxId) {
    return new Deployment(id, name, verticle, n, config, source, deployedAt, newVertxId);
  }
}
