package dev.strata.config;

import java.util.List;

/**
 * The admin HTTP server: dashboard, JSON API, metrics, health.
 *
 * @param token        credentials for mutations (and for reads when not bound to loopback); may also come
 *                     from the environment variable {@code STRATA_ADMIN_TOKEN}
 * @param allowedHosts host names accepted in the {@code Host} header besides the loopback ones
 *                     ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}), e.g. a name in /etc/hosts or a
 *                     reverse proxy's; compared exactly (case aside), with any port
 * @param health       when {@code /health} reports DOWN beyond listeners and the event bus
 * @param tls          serve https (see {@link TlsConfig}); null: http
 */
public record AdminConfig(Boolean enabled, String host, Integer port, String token, List<String> allowedHosts,
    HealthConfig health, TlsConfig tls) {

  public AdminConfig {
    enabled = enabled == null || enabled;
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 8080 : port;
    ListenerConfig.require(port >= 0 && port <= 65535, "port", port + " is out of range 0..65535");
    allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    for (int i = 0; i < allowedHosts.size(); i++) {
      String h = allowedHosts.get(i);
      // a name or an address, never a pattern: "*.example" or "example:80" would not mean what it seems
      ListenerConfig.require(h != null && (h.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")
              || h.matches("\\[[0-9A-Fa-f:.]+\\]")), "allowedHosts[" + i + "]",
          "'" + h + "' is not a host name or address (no port, no wildcard; IPv6 in brackets)");
    }
    health = health == null ? HealthConfig.defaults() : health;
    tls = tls == null ? null : tls.forServer(); // null: plain http
  }

  public AdminConfig(Boolean enabled, String host, Integer port, String token, List<String> allowedHosts,
      HealthConfig health) {
    this(enabled, host, port, token, allowedHosts, health, null);
  }

  public AdminConfig(Boolean enabled, String host, Integer port, String token) {
    this(enabled, host, port, token, null, null);
  }

  public static AdminConfig defaults() {
    return new AdminConfig(null, null, null, null);
  }
}
