package dev.strata.config;

/**
 * The admin HTTP server: dashboard, JSON API, metrics, health.
 *
 * @param token credentials for mutations (and for reads when not bound to loopback); may also come
 *              from the environment variable {@code STRATA_ADMIN_TOKEN}
 */
public record AdminConfig(Boolean enabled, String host, Integer port, String token) {

  public AdminConfig {
    enabled = enabled == null || enabled;
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 8080 : port;
    ListenerConfig.require(port >= 0 && port <= 65535, "port", port + " is out of range 0..65535");
  }

  public static AdminConfig defaults() {
    return new AdminConfig(null, null, null, null);
  }
}
