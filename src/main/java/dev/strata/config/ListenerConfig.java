package dev.strata.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.Map;

/**
 * One listener, TCP (the default) or UDP ({@code transport: udp}). Every field but {@code name}, {@code port}, {@code codec} and {@code address} has a
 * default; see {@code docs/configuration.md}. {@code maxConnections} stays null when not configured: the
 * node gives the listener a share of what the process's file-descriptor limit allows.
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
    ListenerTransport transport,
    Integer maxDatagramBytes,
    Integer maxSenders) {

  /** The largest UDP payload over IPv4 (65535 - 8 bytes of UDP header - 20 of IP header). */
  public static final int MAX_UDP_PAYLOAD = 65_507;

  public ListenerConfig {
    require(name != null && !name.isBlank(), "name", "is required");
    require(name.matches("[A-Za-z0-9_.-]+"), "name", "'" + name + "' may hold only letters, digits, '.', '_' and '-'");
    require(port != null, "port", "is required");
    require(port >= 0 && port <= 65535, "port", port + " is out of range 0..65535");
    require(codec != null && !codec.isBlank(), "codec", "is required");
    require(address != null && !address.isBlank(), "address", "is required");
    transport = transport == null ? ListenerTransport.TCP : transport;
    if (transport == ListenerTransport.UDP) {
      // refused rather than ignored: a key that silently does nothing is a limit the operator believes in
      tcpOnly(maxConnections, "maxConnections", "a udp listener bounds the senders it tracks with maxSenders");
      tcpOnly(maxConnectionsPerIp, "maxConnectionsPerIp", "a udp listener bounds the senders it tracks with maxSenders");
      tcpOnly(maxWriteQueue, "maxWriteQueue", "a datagram is sent at once or not at all");
      tcpOnly(frameTimeout, "frameTimeout", "a datagram is a whole unit: no frame is ever left unfinished");
      tcpOnly(slowConsumerTimeout, "slowConsumerTimeout", "a datagram is sent at once or not at all");
      require(instances == null || instances <= 1, "instances",
          instances + ": a udp listener is one socket on one event loop (0 or 1)");
      instances = 1;
      maxDatagramBytes = maxDatagramBytes == null ? MAX_UDP_PAYLOAD : maxDatagramBytes;
      require(maxDatagramBytes > 0 && maxDatagramBytes <= MAX_UDP_PAYLOAD, "maxDatagramBytes",
          maxDatagramBytes + " must be in 1.." + MAX_UDP_PAYLOAD);
      maxSenders = maxSenders == null ? 10_000 : maxSenders;
      require(maxSenders > 0, "maxSenders", maxSenders + " must be > 0");
    } else {
      require(maxDatagramBytes == null, "maxDatagramBytes", "applies to transport udp only");
      require(maxSenders == null, "maxSenders", "applies to transport udp only");
      maxDatagramBytes = 0;
      maxSenders = 0;
    }
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
  }

  public boolean udp() {
    return transport == ListenerTransport.UDP;
  }

  private static void tcpOnly(Object value, String key, String why) {
    require(value == null, key, "is a tcp setting, refused on a udp listener (" + why + ")");
  }

  static void require(boolean ok, String key, String reason) {
    if (!ok) {
      throw new ConfigException(key, reason);
    }
  }
}
