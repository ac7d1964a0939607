package dev.strata.stream;

/** Told of every connection that opens or closes (for events, metrics, the dashboard). */
public interface RegistryListener {

  default void opened(Connection connection) {
  }

  default void closed(Connection connection) {
  }
}
