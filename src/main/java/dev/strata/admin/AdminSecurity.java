package dev.strata.admin;

import dev.strata.config.AdminConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Who may do what on the admin server.
 *
 * <ul>
 *   <li>Every request: a browser's cross-site request is refused (403) — an {@code Origin} header that
 *       is not this server's own origin, or {@code Sec-Fetch-Site: cross-site}. On a loopback bind (or
 *       with {@code admin.allowedHosts} set) the {@code Host} header must be exactly one of the loopback
 *       names ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}), the bound address, or a configured
 *       name, with or without a port: a page on {@code 127.attacker.example} whose DNS answer switches to
 *       127.0.0.1 (DNS rebinding) still sends its own name, and is refused.</li>
 *   <li>Reads: open when bound to loopback; elsewhere they need credentials.</li>
 *   <li>Mutations (close, drain, starting a frame tap): always need credentials; with no token
 *       configured they are refused with 403 and a message saying how to configure one.</li>
 * </ul>
 * Credentials: {@code Authorization: Bearer <token>}, or basic auth with any user name and the token
 * as password. The token comes from {@code admin.token}, else the environment's
 * {@code STRATA_ADMIN_TOKEN}. Compared in constant time.
 */
final class AdminSecurity {

  static final String TOKEN_ENV = "STRATA_ADMIN_TOKEN";
  private static final System.Logger LOG = System.getLogger("dev.strata.admin.audit");
  private static final String NO_TOKEN = "mutations are disabled: no admin token is configured; set admin.token "
      + "in the configuration file or the environment variable " + TOKEN_ENV + " and send it as "
      + "'Authorization: Bearer <token>' (or basic auth, any user, the token as password)";

  private final byte[] token;
  private final boolean loopback;
  /** Host names (lower case, IPv6 in brackets) a request's Host may name; empty: any (off loopback). */
  private final Set<String> hosts;

  AdminSecurity(AdminConfig config) {
    this(config, System.getenv(TOKEN_ENV));
  }

  AdminSecurity(AdminConfig config, String envToken) {
    String t = config.token() != null && !config.token().isBlank() ? config.token() : envToken;
    this.token = t == null || t.isBlank() ? null : t.getBytes(StandardCharsets.UTF_8);
    this.loopback = isLoopback(config.host());
    this.hosts = acceptedHosts(config, loopback);
  }

  /** Loopback names, the bound address, and the configured names; none to check off loopback without any. */
  static Set<String> acceptedHosts(AdminConfig config, boolean loopback) {
    Set<String> hosts = new HashSet<>();
    if (!loopback && config.allowedHosts().isEmpty()) {
      return hosts;
    }
    hosts.add("localhost");
    hosts.add("127.0.0.1");
    hosts.add("[::1]");
    String bound = config.host().toLowerCase(Locale.ROOT);
    bound = bound.indexOf(':') >= 0 && !bound.startsWith("[") ? "[" + bound + "]" : bound;
    if (!bound.equals("0.0.0.0") && !bound.equals("[::]")) { // the address it is bound to, not "any"
      hosts.add(bound);
    }
    config.allowedHosts().forEach(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
    return hosts;
  }

  boolean loopback() {
    return loopback;
  }

  boolean tokenConfigured() {
    return token != null;
  }

  /** First handler of every route: cross-site and Host checks. */
  void sameOrigin(RoutingContext rc) {
    HttpServerRequest req = rc.request();
    // Host for HTTP/1.1, :authority for HTTP/2.
    io.vertx.core.net.HostAndPort authority = req.authority();
    String host = authority == null ? null
        : authority.host() + (authority.port() >= 0 ? ":" + authority.port() : "");
    if (!hosts.isEmpty() && (authority == null || !hosts.contains(authority.host().toLowerCase(Locale.ROOT)))) {
      refuse(rc, 403, "Host '" + NodeAdmin.clean(String.valueOf(host)) + "' is not a name of this admin server; "
          + "accepted: localhost, 127.0.0.1, [::1] and the names in admin.allowedHosts");
      return;
    }
    String origin = req.headers().get(HttpHeaders.ORIGIN);
    if (origin != null && !sameOrigin(origin, host)) {
      refuse(rc, 403, "cross-site request refused: Origin " + origin + " is not this server");
      return;
    }
    if ("cross-site".equalsIgnoreCase(req.headers().get("Sec-Fetch-Site"))) {
      refuse(rc, 403, "cross-site request refused");
      return;
    }
    rc.next();
  }

  /** Reads: open on loopback, else credentials. */
  void read(RoutingContext rc) {
    if (loopback) {
      rc.next();
      return;
    }
    if (token == null) {
      refuse(rc, 403, "the admin server is bound to a non-loopback address and reads need credentials; " + NO_TOKEN);
      return;
    }
    if (authenticated(rc.request())) {
      rc.next();
    } else {
      rc.response().putHeader("WWW-Authenticate", "Basic realm=\"strata\", charset=\"UTF-8\"");
      refuse(rc, 401, "credentials required: 'Authorization: Bearer <token>' or basic auth");
    }
  }

  /** Mutations: always credentials. */
  void mutate(RoutingContext rc) {
    if (token == null) {
      audit(rc, "refused (no token configured)");
      refuse(rc, 403, NO_TOKEN);
      return;
    }
    if (!authenticated(rc.request())) {
      audit(rc, "refused (missing or wrong credentials)");
      rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"strata\"");
      refuse(rc, 401, "credentials required: 'Authorization: Bearer <token>' or basic auth with the admin token");
      return;
    }
    rc.next();
  }

  /** Who did it, for the audit log: the peer's address (the token identifies no one further). */
  static String actor(RoutingContext rc) {
    return "admin at " + rc.request().remoteAddress();
  }

  private void audit(RoutingContext rc, String what) {
    LOG.log(System.Logger.Level.WARNING, "admin audit: {0} {1} from {2} {3}", rc.request().method(),
        NodeAdmin.clean(rc.request().path()), rc.request().remoteAddress(), what);
  }

  boolean authenticated(HttpServerRequest req) {
    String auth = req.headers().get(HttpHeaders.AUTHORIZATION);
    if (auth == null || token == null) {
      return false;
    }
    String presented = null;
    if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      presented = auth.substring(7).trim();
    } else if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        presented = colon < 0 ? null : decoded.substring(colon + 1);
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
  }

  static void refuse(RoutingContext rc, int status, String message) {
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", message).encode());
  }

  /**
   * Whether a bind address is loopback: {@code localhost} or a literal loopback address. Never a name
   * that merely starts like one ({@code 127.attacker.example}), and never resolved (that could block).
   */
  static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost")) {
      return true;
    }
    boolean ipv4 = h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = h.indexOf(':') >= 0 && h.matches("[0-9a-f:.]+");
    try {
      return (ipv4 || ipv6) && InetAddress.getByName(h).isLoopbackAddress(); // a literal: parsed, not looked up
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean sameOrigin(String origin, String host) {
    if (host == null) {
      return false;
    }
    try {
      URI u = new URI(origin);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
        return false;
      }
      String authority = u.getRawAuthority();
      return authority != null && authority.equalsIgnoreCase(host);
    } catch (Exception e) {
      return false;
    }
  }
}
