package dev.strata.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The event-bus bridge: the wire protocol of the Vert.x TCP event-bus bridge (4-byte length + JSON),
 * so that programs in any language reach the event bus. Off unless the section is present.
 *
 * @param inbound  regular expressions of the addresses clients may send and publish to
 * @param outbound         regular expressions of the addresses clients may register for (receive from)
 * @param maxConnections   null: a share of the process's file-descriptor budget, worked out at start
 * @param maxRegistrations addresses one client may register for at once; each holds an event-bus consumer
 * @param maxInFlight      requests one client may have awaiting replies; further ones are refused with {@code err}
 * @param tls              TLS for bridge clients ({@link TlsConfig}); null: plaintext
 */
public record BridgeConfig(
    Boolean enabled,
    String host,
    Integer port,
    Integer maxFrameBytes,
    @JsonDeserialize(using = DurationDeserializer.class) Duration replyTimeout,
    List<String> inbound,
    List<String> outbound,
    Integer maxConnections,
    Integer maxRegistrations,
    Integer maxInFlight,
    String token,
    TlsConfig tls) {

  public BridgeConfig {
    enabled = enabled == null || enabled;
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 7000 : port;
    ListenerConfig.require(port >= 0 && port <= 65535, "port", port + " is out of range 0..65535");
    maxFrameBytes = maxFrameBytes == null ? 1024 * 1024 : maxFrameBytes;
    ListenerConfig.require(maxFrameBytes > 0, "maxFrameBytes", maxFrameBytes + " must be > 0");
    replyTimeout = replyTimeout == null ? Duration.ofSeconds(30) : replyTimeout;
    ListenerConfig.require(replyTimeout.toMillis() > 0, "replyTimeout", "must be > 0");
    inbound = inbound == null ? List.of("app\\..+", "svc\\..+") : List.copyOf(inbound);
    // not strata.events.tap.*: a tap shows a connection's frames, which the admin token guards
    outbound = outbound == null ? List.of("app\\..+", "strata\\.events\\.(?!tap\\.).+") : List.copyOf(outbound);
    checkPatterns("inbound", inbound);
    checkPatterns("outbound", outbound);
    ListenerConfig.require(maxConnections == null || maxConnections > 0, "maxConnections", maxConnections + " must be > 0");
    maxRegistrations = maxRegistrations == null ? 1_000 : maxRegistrations;
    ListenerConfig.require(maxRegistrations > 0, "maxRegistrations", maxRegistrations + " must be > 0");
    maxInFlight = maxInFlight == null ? 256 : maxInFlight;
    ListenerConfig.require(maxInFlight > 0, "maxInFlight", maxInFlight + " must be > 0");
    ListenerConfig.require(token == null || !token.isBlank(), "token", "must not be blank (leave it out for no token)");
    tls = tls == null ? null : tls.forServer();
  }

  /** No bridge: what a configuration without a {@code bridge} section gets. */
  public static BridgeConfig disabled() {
    return new BridgeConfig(false, null, null, null, null, null, null, null, null, null, null, null);
  }

  private static void checkPatterns(String key, List<String> patterns) {
    for (int i = 0; i < patterns.size(); i++) {
      try {
        Pattern.compile(patterns.get(i));
      } catch (PatternSyntaxException e) {
        throw new ConfigException(key + "[" + i + "]", "'" + patterns.get(i) + "' is not a regular expression: "
            + e.getDescription());
      }
    }
  }
}
