package dev.strata.connector;

import dev.strata.exchange.ClientOptions;
import dev.strata.exchange.Correlation;
import io.vertx.core.net.ClientSSLOptions;
import java.util.List;
import java.util.Map;

/**
 * What a connector needs to know: which address it serves, which remote service it fronts, how it
 * frames and correlates, and how it copes with failure.
 *
 * @param name             connector name, unique per node (the dashboard, {@code /api/connectors}, metrics)
 * @param address          the event-bus address it serves, e.g. {@code svc.redis}
 * @param hosts            {@code host:port} of the remote service; the pool's connections are spread over them
 * @param codec            codec name, as for listeners
 * @param maxFrameBytes    largest response frame (null: the codec's default)
 * @param codecOptions     the codec's options (e.g. {@code tagBytes}, {@code tagField})
 * @param correlation      responses in order, or by tag
 * @param pool             connections per node
 * @param client           per connection: in flight, waiting, request timeout
 * @param connectTimeoutMs how long a connection attempt may take
 * @param reconnectInitialMs first delay before reconnecting; doubles up to {@code reconnectMaxMs}, with jitter
 * @param reconnectMaxMs   largest delay between attempts
 * @param breakerFailures  failures (timeouts, lost connections, no connection) within 10 s that open the circuit
 * @param breakerResetMs   how long the circuit stays open before one request may try again
 * @param retries          how many times a request marked idempotent is sent again after a lost connection
 * @param tls              TLS to the remote (trust, client certificate, host name check), or null for plaintext
 */
public record ConnectorOptions(String name, String address, List<String> hosts, String codec, Integer maxFrameBytes,
    Map<String, Object> codecOptions, Correlation correlation, int pool, ClientOptions client, long connectTimeoutMs,
    long reconnectInitialMs, long reconnectMaxMs, int breakerFailures, long breakerResetMs, int retries,
    ClientSSLOptions tls) {

  public ConnectorOptions(String name, String address, List<String> hosts, String codec, Integer maxFrameBytes,
      Map<String, Object> codecOptions, Correlation correlation, int pool, ClientOptions client, long connectTimeoutMs,
      long reconnectInitialMs, long reconnectMaxMs, int breakerFailures, long breakerResetMs, int retries) {
    this(name, address, hosts, codec, maxFrameBytes, codecOptions, correlation, pool, client, connectTimeoutMs,
        reconnectInitialMs, reconnectMaxMs, breakerFailures, breakerResetMs, retries, null);
  }

  public ConnectorOptions {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (hosts == null || hosts.isEmpty()) {
      throw new IllegalArgumentException("hosts must name at least one host:port");
    }
    hosts = List.copyOf(hosts);
    codecOptions = codecOptions == null ? Map.of() : codecOptions;
    if (pool <= 0) {
      throw new IllegalArgumentException("pool " + pool + " must be > 0");
    }
  }

  /** {@code host:port} split; an IPv6 host is written in brackets ({@code [::1]:6379}). */
  static String[] hostAndPort(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("'" + hostPort + "' is not host:port");
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String port = hostPort.substring(colon + 1);
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + hostPort + "': port '" + port + "' is not a number");
    }
    if (p <= 0 || p > 65535) {
      throw new IllegalArgumentException("'" + hostPort + "': port " + p + " is out of range 1..65535");
    }
    return new String[] {host, Integer.toString(p)};
  }
}
