package dev.strata.apps;

import dev.strata.exchange.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * A small Redis-like key-value store on {@code app.kv} (or the address in its config). It sees
 * commands, not protocols: a line ({@code SET a 1}, as a String) or a RESP array (a JsonArray of
 * Buffers) both become a list of arguments, and replies are protocol-neutral values (see
 * {@link KvCommands}). All instances on a node share one {@link KvStore}.
 */
public final class KvVerticle extends VerticleBase {

  private KvCommands commands;

  @Override
  public Future<?> start() {
    String address = config().getString("address", "app.kv");
    KvStore store = KvStore.of(vertx, config().getString("store", address));
    commands = new KvCommands(store);
    vertx.setPeriodic(1_000, id -> store.sweep(500));
    return Endpoint.serve(vertx, address, this::handle);
  }

  private void handle(Message<Object> msg) {
    List<Buffer> args;
    try {
      args = args(msg.body());
    } catch (IllegalArgumentException e) {
      msg.fail(400, "ERR " + e.getMessage());
      return;
    }
    if (args.isEmpty()) {
      msg.fail(400, "ERR empty command");
      return;
    }
    commands.execute(args, msg);
  }

  static List<Buffer> args(Object body) {
    if (body instanceof JsonArray a) {
      List<Buffer> out = new ArrayList<>(a.size());
      List<?> raw = a.getList(); // a Buffer locally; base64 text when it crossed the cluster
      for (int i = 0; i < raw.size(); i++) {
        out.add(raw.get(i) instanceof Buffer b ? b : a.getBuffer(i));
      }
      return out;
    }
    if (body instanceof List<?> l) {
      List<Buffer> out = new ArrayList<>(l.size());
      for (Object v : l) {
        out.add(v instanceof Buffer b ? b : Buffer.buffer(String.valueOf(v)));
      }
      return out;
    }
    if (body instanceof String s) {
      return Tokenizer.split(s);
    }
    if (body instanceof Buffer b) {
      return Tokenizer.split(b.toString());
    }
    throw new IllegalArgumentException("cannot read a command from a " + (body == null ? "null" : body.getClass().getSimpleName()));
  }
}
