package dev.strata.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.Map;

/**
 * One TCP listener. Every field but {@code name}, {@code port}, {@code codec} and {@code address} has a
 * default; see {@code docs/configuration.md}. {@code maxConnections} stays null when not configured: the
 * node gives the listener a share of what the process's file-descriptor limit allows. {@code tls} null means
 * plaintext ({@link TlsConfig}).
 */
public record ListenerConfig(
    String name,
    String host,
    Integer port,
    String codec,
    Map<String, Object> codecOptions,
    String address,
    Integer instances,
    Integer maxFrameBytes,
    Integer maxInFlight,
    @JsonDeserialize(using = DurationDeserializer.class) Duration requestTimeout,
    @JsonDeserialize(using = DurationDeserializer.class) Duration idleTimeout,
    Integer maxConnections,
    FrameErrorPolicy onFrameError,
    Dispatch dispatch,
    CorrelationMode correlation,
    @JsonDeserialize(using = DurationDeserializer.class) Duration frameTimeout,
    Integer maxConnectionsPerIp,
    RateLimitConfig rateLimit,
    Integer maxWriteQueue,
    @JsonDeserialize(using = DurationDeserializer.class) Duration slowConsumerTimeout,
    TlsConfig tls) {

  public ListenerConfig {
    require(name != null && !name.isBlank(), "name", "is required");
    require(name.matches("[A-Za-z0-9_.-]+"), "name", "'" + name + "' may hold only letters, digits, '.', '_' and '-'");
    require(port != null, "port", "is required");
    require(port >= 0 && port <= 65535, "port", port + " is out of range 0..65535");
    require(codec != null && !codec.isBlank(), "codec", "is required");
    require(address != null && !address.isBlank(), "address", "is required");
    host = host == null ? "0.0.0.0" : host;
    codecOptions = codecOptions == null ? Map.of() : codecOptions;
    instances = instances == null ? 0 : instances;
    require(instances >= 0, "instances", instances + " must be >= 0 (0 = one per core)");
    require(maxFrameBytes == null || maxFrameBytes > 0, "maxFrameBytes", maxFrameBytes + " must be > 0");
    maxInFlight = maxInFlight == null ? 256 : maxInFlight;
    require(maxInFlight > 0, "maxInFlight", maxInFlight + " must be > 0");
    requestTimeout = requestTimeout == null ? Duration.ofSeconds(5) : requestTimeout;
    require(requestTimeout.toMillis() > 0, "requestTimeout", "must be > 0");
    idleTimeout = idleTimeout == null ? Duration.ofSeconds(300) : idleTimeout;
    frameTimeout = frameTimeout == null ? Duration.ofSeconds(30) : frameTimeout;
    maxConnectionsPerIp = maxConnectionsPerIp == null ? 0 : maxConnectionsPerIp;
    require(maxWriteQueue == null || maxWriteQueue > 0, "maxWriteQueue", maxWriteQueue + " must be > 0");
    slowConsumerTimeout = slowConsumerTimeout == null ? Duration.ofSeconds(30) : slowConsumerTimeout;
    require(maxConnectionsPerIp >= 0, "maxConnectionsPerIp", maxConnectionsPerIp + " must be >= 0 (0 = no limit)");
    // null: a share of the process's file-descriptor budget, worked out when the node starts
    require(maxConnections == null || maxConnections > 0, "maxConnections", maxConnections + " must be > 0");
    onFrameError = onFrameError == null ? FrameErrorPolicy.CLOSE : onFrameError;
    dispatch = dispatch == null ? Dispatch.LOCAL_FIRST : dispatch;
    correlation = correlation == null ? CorrelationMode.PIPELINED : correlation;
    tls = tls == null ? null : tls.forServer(); // null: plaintext
  }

  static void require(boolean ok, String key, String reason) {
    if (!ok) {
      throw new ConfigException(key, reason);
    }
  }
}
