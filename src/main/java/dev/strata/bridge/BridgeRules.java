package dev.strata.bridge;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What bridge clients may do: the addresses they may send or publish to ({@code inbound}) and
 * register for ({@code outbound}), as regular expressions matched against the whole address; the
 * largest frame; how long a request waits for its reply; and what one client may hold at once, so that
 * no client can grow the server's heap without bound: {@code maxRegistrations} addresses (each an
 * event-bus consumer) and {@code maxInFlight} requests awaiting replies.
 */
public record BridgeRules(List<Pattern> inbound, List<Pattern> outbound, int maxFrameBytes, long replyTimeoutMs,
    int maxRegistrations, int maxInFlight, String token) {

  public BridgeRules {
    if (maxRegistrations <= 0) {
      throw new IllegalArgumentException("maxRegistrations " + maxRegistrations + " must be > 0");
    }
    if (maxInFlight <= 0) {
      throw new IllegalArgumentException("maxInFlight " + maxInFlight + " must be > 0");
    }
  }

  public static BridgeRules of(List<String> inbound, List<String> outbound, int maxFrameBytes, long replyTimeoutMs,
      int maxRegistrations, int maxInFlight) {
    return of(inbound, outbound, maxFrameBytes, replyTimeoutMs, maxRegistrations, maxInFlight, null);
  }

  /** With {@code token} (null: none), which a client must send as the header {@code token} before anything else. */
  public static BridgeRules of(List<String> inbound, List<String> outbound, int maxFrameBytes, long replyTimeoutMs,
      int maxRegistrations, int maxInFlight, String token) {
    return new BridgeRules(inbound.stream().map(Pattern::compile).toList(),
        outbound.stream().map(Pattern::compile).toList(), maxFrameBytes, replyTimeoutMs, maxRegistrations, maxInFlight,
        token);
  }

  /** Whether {@code presented} is the token, compared in constant time. */
  boolean tokenMatches(Object presented) {
    return presented instanceof String s && java.security.MessageDigest.isEqual(
        s.getBytes(java.nio.charset.StandardCharsets.UTF_8), token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  boolean mayReceiveFromClient(String address) {
    return matches(inbound, address);
  }

  boolean maySendToClient(String address) {
    return matches(outbound, address);
  }

  private static boolean matches(List<Pattern> patterns, String address) {
    for (Pattern p : patterns) {
      if (p.matcher(address).matches()) {
        return true;
      }
    }
    return false;
  }
}
