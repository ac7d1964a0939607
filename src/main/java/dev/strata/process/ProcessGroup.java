package dev.strata.process;

import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The instances of one process application, for the admin API: read from any thread. */
public final class ProcessGroup {

  private final List<ProcessVerticle> instances = new CopyOnWriteArrayList<>();

  void add(ProcessVerticle v) {
    instances.add(v);
  }

  int next() {
    return instances.size();
  }

  public List<ProcessVerticle> instances() {
    return List.copyOf(instances);
  }

  /** One object per instance: index, pid, state, restarts, requests, requestsPerSecond, lastExit, error. */
  public JsonArray toJson() {
    JsonArray out = new JsonArray();
    instances.forEach(v -> out.add(v.status()));
    return out;
  }
}
