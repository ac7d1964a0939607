package dev.strata.apps;

import static dev.strata.apps.KvCommands.s;

import dev.strata.apps.KvCommands.Command;
import dev.strata.apps.KvCommands.KvError;
import dev.strata.exchange.ValueList;
import dev.strata.exchange.Headers;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What clients ask on connecting: COMMAND, HELLO, CLIENT, CONFIG GET, INFO. Enough for redis-cli,
 * redis-benchmark and client libraries (Jedis, Lettuce) to get going; nothing is configurable.
 */
final class KvServerCommands {

  static final String VERSION = "7.0.0";

  private final Map<String, Command> table;

  KvServerCommands(Map<String, Command> table) {
    this.table = table;
  }

  void register(Map<String, Command> t) {
    t.put("command", new Command(-1, a -> {
      String sub = a.size() > 1 ? s(a.get(1)).toUpperCase(Locale.ROOT) : "";
      return sub.equals("COUNT") ? (Object) (long) table.size() : new ValueList();
    }));
    t.put("hello", new Command(-1, this::hello));
    t.put("client", new Command(-2, a -> switch (s(a.get(1)).toUpperCase(Locale.ROOT)) {
      case "SETNAME", "SETINFO", "NO-EVICT", "NO-TOUCH", "REPLY" -> "OK";
      case "GETNAME" -> null;
      case "ID" -> 1L;
      case "INFO" -> b("id=1 name= db=0 resp=2 lib-name=strata\n");
      default -> throw new KvError("ERR unknown subcommand '" + s(a.get(1)) + "'. Try CLIENT HELP.");
    }));
    t.put("config", new Command(-2, a -> {
      String sub = s(a.get(1)).toUpperCase(Locale.ROOT);
      if (sub.equals("GET")) {
        ValueList out = new ValueList();
        for (int i = 2; i < a.size(); i++) {
          String key = s(a.get(i)).toLowerCase(Locale.ROOT);
          String v = switch (key) {
            case "save" -> "";
            case "appendonly" -> "no";
            case "databases" -> "1";
            case "maxmemory" -> "0";
            default -> null;
          };
          if (v != null) {
            out.add(b(key));
            out.add(b(v));
          }
        }
        return out;
      }
      if (sub.equals("RESETSTAT")) {
        return "OK";
      }
      throw new KvError("ERR CONFIG " + sub + " is not supported");
    }));
    t.put("info", new Command(-1, a -> b("# Server\r\nredis_version:" + VERSION + "\r\nredis_mode:standalone\r\n"
        + "server_name:strata\r\n# Keyspace\r\n")));
  }

  /**
   * {@code HELLO [2|3] [AUTH user pass] [SETNAME name]}: the server's description, as a flat array
   * (RESP2) or a map (RESP3). Its reply carries {@link Headers#PROTOCOL}, so that the connection
   * speaks the version asked for from this reply on (RESP3: maps, push frames).
   */
  private Object hello(List<Buffer> a) {
    int proto = 2;
    if (a.size() > 1) {
      String v = s(a.get(1));
      if (!v.equals("2") && !v.equals("3")) {
        throw new KvError("NOPROTO unsupported protocol version");
      }
      proto = Integer.parseInt(v);
    }
    for (int i = 2; i < a.size(); i++) {
      String opt = s(a.get(i)).toUpperCase(Locale.ROOT);
      int args = opt.equals("AUTH") ? 2 : opt.equals("SETNAME") ? 1 : -1;
      if (args < 0 || i + args >= a.size()) {
        throw new KvError("ERR Syntax error in HELLO option '" + s(a.get(i)) + "'");
      }
      i += args; // no users or names are kept: any credentials are accepted, as with a password-less Redis
    }
    Object reply;
    if (proto == 3) {
      reply = new JsonObject().put("server", "strata").put("version", VERSION).put("proto", 3L).put("id", 1L)
          .put("mode", "standalone").put("role", "master").put("modules", new JsonArray());
    } else {
      reply = ValueList.of(b("server"), b("strata"), b("version"), b(VERSION), b("proto"), 2L,
          b("id"), 1L, b("mode"), b("standalone"), b("role"), b("master"), b("modules"), new ValueList());
    }
    return new KvCommands.Headed(reply, Headers.PROTOCOL, Integer.toString(proto));
  }

  private static Buffer b(String s) {
    return Buffer.buffer(s);
  }
}
