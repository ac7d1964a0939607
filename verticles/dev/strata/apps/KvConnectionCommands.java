package dev.strata.apps;

import static dev.strata.apps.KvCommands.NOT_INT;
import static dev.strata.apps.KvCommands.b;
import static dev.strata.apps.KvCommands.connection;
import static dev.strata.apps.KvCommands.s;

import dev.strata.apps.KvClients.Client;
import dev.strata.apps.KvCommands.Command;
import dev.strata.apps.KvCommands.Headed;
import dev.strata.apps.KvCommands.KvError;
import dev.strata.exchange.Headers;
import dev.strata.exchange.ValueList;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Commands about the connection itself: PING, ECHO, QUIT, RESET, SELECT, AUTH, HELLO, CLIENT. The
 * state they keep (name, library, protocol, authentication) is in {@link KvClients}. QUIT and RESET
 * run at once even inside MULTI (RESET discards it), as in Redis.
 */
final class KvConnectionCommands {

  static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
  private static final String HELLO_NOAUTH = "NOAUTH HELLO must be called with the client already authenticated, "
      + "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select "
      + "the RESP protocol version at the same time";

  private final KvClients clients;

  KvConnectionCommands(KvClients clients) {
    this.clients = clients;
  }

  void register(Map<String, Command> t) {
    t.put("ping", new Command(-1, a -> {
      if (a.size() > 2) {
        throw new KvError("ERR wrong number of arguments for 'ping' command");
      }
      return a.size() > 1 ? a.get(1) : "PONG";
    }));
    t.put("echo", new Command(2, a -> a.get(1)));
    t.put("quit", new Command(-1, (a, request) -> new Headed("OK", Headers.CLOSE, "true"), Command.AT_ONCE));
    t.put("select", new Command(2, a -> {
      long db;
      try {
        db = Long.parseLong(s(a.get(1)));
      } catch (NumberFormatException e) {
        throw new KvError(NOT_INT);
      }
      if (db != 0) {
        throw new KvError("ERR DB index is out of range");
      }
      return "OK";
    }));
    t.put("auth", new Command(-2, this::auth));
    t.put("hello", new Command(-1, this::hello));
    t.put("reset", new Command(1, (a, request) -> {
      Client c = clients.of(request, "reset");
      if (c != null) {
        c.name = "";
        c.resp = 2;
        c.authenticated = false;
        KvTransaction tx = c.transaction();
        if (tx != null) {
          tx.end(); // discards MULTI, unwatches
        }
      }
      return new Headed("RESET", Headers.PROTOCOL, "2");
    }, Command.AT_ONCE));
    t.put("client", new Command(-2, this::client));
  }

  /** {@code AUTH [user] pass}, as Redis answers it with the {@code default} user (and requirepass when set). */
  private Object auth(List<Buffer> a, Message<Object> request) {
    if (a.size() > 3) {
      throw new KvError(KvCommands.SYNTAX);
    }
    if (a.size() == 2 && !clients.passwordRequired()) {
      throw new KvError("ERR AUTH <password> called without any password configured for the default user. "
          + "Are you sure your configuration is correct?");
    }
    String user = a.size() == 3 ? s(a.get(1)) : "default";
    authenticate(clients.of(request, "auth"), user, s(a.get(a.size() - 1)));
    return "OK";
  }

  private void authenticate(Client c, String user, String pass) {
    if (!clients.accepts(user, pass)) {
      throw new KvError(WRONGPASS);
    }
    if (c != null) {
      c.authenticated = true;
    }
  }

  /**
   * {@code HELLO [2|3 [AUTH user pass] [SETNAME name]]}: the server's description, as a map under
   * RESP3 and a flat array under RESP2 (one {@link ValueList#pairs} list; the protocol writes it).
   * Its reply carries {@link Headers#PROTOCOL}, so that the connection speaks the version asked for
   * from this reply on. Without a version, the protocol stays as it is.
   */
  private Object hello(List<Buffer> a, Message<Object> request) {
    Client c = clients.of(request, "hello");
    int proto = c == null ? 2 : c.resp;
    if (a.size() > 1) {
      long v;
      try {
        v = Long.parseLong(s(a.get(1)));
      } catch (NumberFormatException e) {
        throw new KvError("ERR Protocol version is not an integer or out of range");
      }
      if (v != 2 && v != 3) {
        throw new KvError("NOPROTO unsupported protocol version");
      }
      proto = (int) v;
    }
    String user = null;
    String pass = null;
    String name = null;
    for (int i = 2; i < a.size(); i++) {
      String opt = s(a.get(i)).toUpperCase(Locale.ROOT);
      if (opt.equals("AUTH") && i + 2 < a.size()) {
        user = s(a.get(++i));
        pass = s(a.get(++i));
      } else if (opt.equals("SETNAME") && i + 1 < a.size()) {
        name = checkName(s(a.get(++i)));
      } else {
        throw new KvError("ERR Syntax error in HELLO option '" + s(a.get(i)) + "'");
      }
    }
    if (user != null) {
      authenticate(c, user, pass);
    } else if (clients.passwordRequired() && !clients.authenticated(request)) {
      throw new KvError(HELLO_NOAUTH);
    }
    if (c != null) {
      if (name != null) {
        c.name = name;
      }
      c.resp = proto;
    }
    ValueList reply = ValueList.pairs(7).with("server", "strata").with("version", KvServerCommands.VERSION)
        .with("proto", (long) proto).with("id", connection(request)).with("mode", "standalone")
        .with("role", "master").with("modules", new ValueList());
    return new Headed(reply, Headers.PROTOCOL, Integer.toString(proto));
  }

  private Object client(List<Buffer> a, Message<Object> request) {
    String sub = s(a.get(1)).toUpperCase(Locale.ROOT);
    switch (sub) {
      case "ID" -> {
        arity(a, 2, sub);
        return connection(request);
      }
      case "SETNAME" -> {
        arity(a, 3, sub);
        String name = checkName(s(a.get(2)));
        Client c = clients.of(request, "client|setname");
        if (c != null) {
          c.name = name;
        }
        return "OK";
      }
      case "GETNAME" -> {
        arity(a, 2, sub);
        Client c = clients.of(request, "client|getname");
        return c == null || c.name.isEmpty() ? null : b(c.name);
      }
      case "SETINFO" -> {
        arity(a, 4, sub);
        String attr = s(a.get(2)).toUpperCase(Locale.ROOT);
        String value = checkName(s(a.get(3)));
        Client c = clients.of(request, "client|setinfo");
        switch (attr) {
          case "LIB-NAME" -> {
            if (c != null) {
              c.libName = value;
            }
          }
          case "LIB-VER" -> {
            if (c != null) {
              c.libVer = value;
            }
          }
          default -> throw new KvError("ERR Unrecognized option '" + s(a.get(2)) + "'");
        }
        return "OK";
      }
      case "INFO" -> {
        arity(a, 2, sub);
        Client c = clients.of(request, "client|info");
        return b(c == null ? "id=-1 addr= name= db=0 resp=2\n" : c.info());
      }
      case "LIST" -> {
        return b(list(a, request));
      }
      case "NO-EVICT", "NO-TOUCH" -> {
        arity(a, 3, sub);
        return "OK";
      }
      case "REPLY" -> {
        arity(a, 3, sub);
        if (!s(a.get(2)).equalsIgnoreCase("ON")) {
          throw new KvError("ERR CLIENT REPLY " + s(a.get(2)) + " is not supported");
        }
        return "OK";
      }
      default -> throw new KvError("ERR unknown subcommand '" + s(a.get(1)) + "'. Try CLIENT HELP.");
    }
  }

  /** {@code CLIENT LIST [TYPE normal] [ID id ...]}: the node's connections that have spoken of themselves, and the caller. */
  private String list(List<Buffer> a, Message<Object> request) {
    clients.of(request, "client|list");
    Set<Long> ids = null;
    for (int i = 2; i < a.size(); i++) {
      String opt = s(a.get(i)).toUpperCase(Locale.ROOT);
      if (opt.equals("TYPE") && i + 1 < a.size()) {
        String type = s(a.get(++i)).toLowerCase(Locale.ROOT);
        if (!Set.of("normal", "master", "replica", "pubsub").contains(type)) {
          throw new KvError("ERR Unknown client type '" + type + "'");
        }
        if (!type.equals("normal")) {
          return "";
        }
      } else if (opt.equals("ID") && i + 1 < a.size()) {
        ids = new HashSet<>();
        while (i + 1 < a.size()) {
          try {
            ids.add(Long.parseLong(s(a.get(++i))));
          } catch (NumberFormatException e) {
            throw new KvError("ERR Invalid client ID");
          }
        }
      } else {
        throw new KvError(KvCommands.SYNTAX);
      }
    }
    StringBuilder out = new StringBuilder();
    for (Client c : clients.all()) {
      if (ids == null || ids.contains(c.id)) {
        out.append(c.info());
      }
    }
    return out.toString();
  }

  private static void arity(List<Buffer> a, int n, String sub) {
    if (a.size() != n) {
      throw new KvError("ERR wrong number of arguments for 'client|" + sub.toLowerCase(Locale.ROOT) + "' command");
    }
  }

  /** Redis refuses names and library infos with spaces, newlines or other bytes outside '!'..'~'. */
  private static String checkName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch < '!' || ch > '~') {
        throw new KvError("ERR Client names cannot contain spaces, newlines or special characters.");
      }
    }
    return name;
  }
}
