package dev.strata.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An outbound connector: requests to {@code address} go to the remote service at {@code hosts}. Every
 * field but {@code name}, {@code address}, {@code hosts} and {@code codec} has a default; see
 * {@code docs/connectors.md}.
 */
public record ConnectorConfig(
    String name,
    String address,
    List<String> hosts,
    String codec,
    Map<String, Object> codecOptions,
    Integer maxFrameBytes,
    CorrelationMode correlation,
    Integer pool,
    Integer maxInFlight,
    Integer maxWaiting,
    @JsonDeserialize(using = DurationDeserializer.class) Duration requestTimeout,
    @JsonDeserialize(using = DurationDeserializer.class) Duration connectTimeout,
    Reconnect reconnect,
    Breaker circuitBreaker,
    Integer retries,
    TlsConfig tls) {

  public ConnectorConfig {
    ListenerConfig.require(name != null && !name.isBlank(), "name", "is required");
    ListenerConfig.require(name.matches("[A-Za-z0-9_.-]+"), "name", "'" + name + "' may hold only letters, digits, '.', '_' and '-'");
    ListenerConfig.require(address != null && !address.isBlank(), "address", "is required");
    ListenerConfig.require(hosts != null && !hosts.isEmpty(), "hosts", "is required: a list of host:port");
    for (int i = 0; i < hosts.size(); i++) {
      checkHostPort("hosts[" + i + "]", hosts.get(i));
    }
    ListenerConfig.require(codec != null && !codec.isBlank(), "codec", "is required");
    codecOptions = codecOptions == null ? Map.of() : codecOptions;
    ListenerConfig.require(maxFrameBytes == null || maxFrameBytes > 0, "maxFrameBytes", maxFrameBytes + " must be > 0");
    correlation = correlation == null ? CorrelationMode.PIPELINED : correlation;
    pool = pool == null ? 4 : pool;
    ListenerConfig.require(pool > 0, "pool", pool + " must be > 0");
    maxInFlight = maxInFlight == null ? 256 : maxInFlight;
    ListenerConfig.require(maxInFlight > 0, "maxInFlight", maxInFlight + " must be > 0");
    maxWaiting = maxWaiting == null ? 1024 : maxWaiting;
    ListenerConfig.require(maxWaiting >= 0, "maxWaiting", maxWaiting + " must be >= 0");
    requestTimeout = requestTimeout == null ? Duration.ofSeconds(2) : requestTimeout;
    ListenerConfig.require(requestTimeout.toMillis() > 0, "requestTimeout", "must be > 0");
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(1) : connectTimeout;
    ListenerConfig.require(connectTimeout.toMillis() > 0, "connectTimeout", "must be > 0");
    reconnect = reconnect == null ? new Reconnect(null, null) : reconnect;
    circuitBreaker = circuitBreaker == null ? new Breaker(null, null) : circuitBreaker;
    retries = retries == null ? 0 : retries;
    ListenerConfig.require(retries >= 0 && retries <= 10, "retries", retries + " must be in 0..10");
    tls = tls == null ? null : tls.forClient(); // null: plaintext
  }

  /** Delays between connection attempts: {@code initial}, doubling up to {@code max}, with jitter. */
  public record Reconnect(
      @JsonDeserialize(using = DurationDeserializer.class) Duration initial,
      @JsonDeserialize(using = DurationDeserializer.class) Duration max) {
    public Reconnect {
      initial = initial == null ? Duration.ofMillis(100) : initial;
      max = max == null ? Duration.ofSeconds(10) : max;
      // keys relative to this record: the loader puts its path ("connectors[0].reconnect") in front
      ListenerConfig.require(initial.toMillis() > 0, "initial", "must be > 0");
      ListenerConfig.require(max.compareTo(initial) >= 0, "max", max.toMillis() + " ms must be >= reconnect.initial ("
          + initial.toMillis() + " ms)");
    }
  }

  /** The circuit opens after {@code failures} failures within 10 s and stays open for {@code reset}. */
  public record Breaker(
      Integer failures,
      @JsonDeserialize(using = DurationDeserializer.class) Duration reset) {
    public Breaker {
      failures = failures == null ? 5 : failures;
      reset = reset == null ? Duration.ofSeconds(5) : reset;
      ListenerConfig.require(failures > 0, "failures", failures + " must be > 0");
      ListenerConfig.require(reset.toMillis() > 0, "reset", "must be > 0");
    }
  }

  private static void checkHostPort(String key, String hp) {
    int colon = hp == null ? -1 : hp.lastIndexOf(':');
    ListenerConfig.require(colon > 0, key, "'" + hp + "' is not host:port");
    String port = hp.substring(colon + 1);
    ListenerConfig.require(port.matches("\\d{1,5}") && Integer.parseInt(port) > 0 && Integer.parseInt(port) <= 65535,
        key, "'" + hp + "': port '" + port + "' is not in 1..65535");
  }
}
