package dev.strata.bridge;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What bridge clients may do: the addresses they may send or publish to ({@code inbound}) and
 * register for ({@code outbound}), as regular expressions matched against the whole address; the
 * largest frame; how long a request waits for its reply.
 */
public record BridgeRules(List<Pattern> inbound, List<Pattern> outbound, int maxFrameBytes, long replyTimeoutMs) {

  public static BridgeRules of(List<String> inbound, List<String> outbound, int maxFrameBytes, long replyTimeoutMs) {
    return new BridgeRules(inbound.stream().map(Pattern::compile).toList(),
        outbound.stream().map(Pattern::compile).toList(), maxFrameBytes, replyTimeoutMs);
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
