package dev.strata.config;

import java.util.Map;

/**
 * An application verticle to deploy.
 *
 * @param verticle  fully qualified class name of a {@code Deployable} (e.g. {@code VerticleBase})
 * @param instances how many; 0 = one per core
 * @param config    handed to the verticle as its {@code config()}
 * @param ha        in a cluster: when this member dies, Vert.x redeploys the application on a survivor
 *                  (Vert.x HA; see {@code cluster.quorum}); default false
 */
public record AppConfig(String name, String verticle, Integer instances, Map<String, Object> config, Boolean ha) {

  public AppConfig {
    ListenerConfig.require(verticle != null && !verticle.isBlank(), "verticle", "is required");
    name = name == null ? verticle.substring(verticle.lastIndexOf('.') + 1) : name;
    instances = instances == null ? 0 : instances;
    ListenerConfig.require(instances >= 0, "instances", instances + " must be >= 0 (0 = one per core)");
    config = config == null ? Map.of() : config;
    ha = ha != null && ha;
  }
}
