package dev.strata.apps;

import static dev.strata.apps.KvCommands.b;
import static dev.strata.apps.KvCommands.s;

import dev.strata.apps.KvCommands.Command;
import dev.strata.apps.KvCommands.KvError;
import dev.strata.exchange.ValueList;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What clients ask of the server: COMMAND, CONFIG GET, INFO. Enough for redis-cli, redis-benchmark
 * and client libraries (Jedis, Lettuce) to get going; nothing is configurable. (HELLO and CLIENT, about
 * the connection, are in {@link KvConnectionCommands}.)
 */
final class KvServerCommands {

  static final String VERSION = "7.0.0";

  private final Map<String, Command> table;
  private final KvStore store;

  KvServerCommands(Map<String, Command> table, KvStore store) {
    this.table = table;
    this.store = store;
  }

  void register(Map<String, Command> t) {
    t.put("command", new Command(-1, this::command));
    t.put("config", new Command(-2, a -> {
      String sub = s(a.get(1)).toUpperCase(Locale.ROOT);
      if (sub.equals("GET")) {
        ValueList out = ValueList.pairs(a.size() - 2);
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
            out.with(b(key), b(v));
          }
        }
        return out;
      }
      if (sub.equals("RESETSTAT")) {
        return "OK";
      }
      throw new KvError("ERR CONFIG " + sub + " is not supported");
    }));
    t.put("info", new Command(-1, a -> {
      long keys = store.size();
      return b("# Server\r\nredis_version:" + VERSION + "\r\nredis_mode:standalone\r\nserver_name:strata\r\n"
          + "\r\n# Keyspace\r\n" + (keys > 0 ? "db0:keys=" + keys + ",expires=0,avg_ttl=0\r\n" : ""));
    }));
  }

  /**
   * {@code COMMAND}, {@code COMMAND COUNT|LIST|INFO|DOCS}: enough for clients that probe (redis-cli
   * asks for DOCS to show hints): the names and arities are real; flags, key positions and
   * documentation are left empty.
   */
  private Object command(List<Buffer> a) {
    String sub = a.size() > 1 ? s(a.get(1)).toUpperCase(Locale.ROOT) : "";
    return switch (sub) {
      case "" -> {
        ValueList out = new ValueList(table.size());
        table.keySet().stream().sorted().forEach(name -> out.add(info(name)));
        yield out;
      }
      case "COUNT" -> (long) table.size();
      case "LIST" -> {
        ValueList out = new ValueList(table.size());
        table.keySet().stream().sorted().forEach(name -> out.add(b(name)));
        yield out;
      }
      case "INFO" -> {
        ValueList out = new ValueList(a.size() - 2);
        for (int i = 2; i < a.size(); i++) {
          out.add(info(s(a.get(i)).toLowerCase(Locale.ROOT)));
        }
        yield out;
      }
      case "DOCS" -> ValueList.pairs(0);
      default -> throw new KvError("ERR unknown subcommand '" + s(a.get(1)) + "'. Try COMMAND HELP.");
    };
  }

  /**
   * A command's COMMAND INFO entry, in Redis 7's shape: name, arity, flags, first key, last key, step,
   * ACL categories, tips, key specifications, subcommands. Null for an unknown command, as in Redis.
   */
  private ValueList info(String name) {
    Command c = table.get(name);
    if (c == null) {
      return null;
    }
    return ValueList.of(b(name), (long) c.arity(), new ValueList(), 0L, 0L, 0L, new ValueList(), new ValueList(),
        new ValueList(), new ValueList());
  }
}
