package dev.strata.apps;

import dev.strata.exchange.Headers;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the kv application knows about each connection of its node, by connection id
 * ({@link Headers#connectionOf}): name, library, protocol, whether it authenticated. Shared by the
 * instances of {@link KvVerticle} like the store (a connection's requests may reach any of them).
 *
 * <p>A connection gets an entry when it first says something about itself (HELLO, AUTH, CLIENT,
 * SELECT), not on every request: the data commands pay nothing for it. The entry goes when the
 * connection closes ({@link Headers#CONNECTION_CLOSED}, published on the listener's member: when the
 * application runs on another member it never hears it, and the table is bounded instead).
 */
final class KvClients implements Shareable {

  /** One connection's state. Written by its own requests, read by anyone's CLIENT LIST: volatile fields. */
  static final class Client {
    final long id;
    final String addr;
    final long created = System.currentTimeMillis();
    volatile long lastCommand = created;
    volatile String lastCommandName = "";
    volatile String name = "";
    volatile String libName = "";
    volatile String libVer = "";
    volatile int resp = 2;
    volatile boolean authenticated;

    Client(long id, String addr) {
      this.id = id;
      this.addr = addr;
    }

    /** A line of CLIENT LIST / CLIENT INFO, Redis's fields in Redis's order (those that apply). */
    String info() {
      long now = System.currentTimeMillis();
      return "id=" + id + " addr=" + addr + " laddr= fd=-1 name=" + name + " age=" + (now - created) / 1000
          + " idle=" + (now - lastCommand) / 1000 + " flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 watch=0 cmd="
          + lastCommandName + " user=default redir=-1 resp=" + resp + " lib-name=" + libName + " lib-ver=" + libVer + "\n";
    }
  }

  /** Bound of the table, for when closes are not seen (see {@link #forgetLeastRecent}). */
  static final int MAX_CLIENTS = 100_000;

  private final ConcurrentHashMap<Long, Client> clients = new ConcurrentHashMap<>();
  private final String password;

  private KvClients(String password) {
    this.password = password;
  }

  /** The node's table for {@code name}; {@code password} (null: none) is the first instance's. */
  static KvClients of(Vertx vertx, String name, String password) {
    LocalMap<String, KvClients> all = vertx.sharedData().getLocalMap("strata.apps.kv.clients");
    KvClients fresh = new KvClients(password);
    KvClients existing = all.putIfAbsent(name, fresh);
    return existing == null ? fresh : existing;
  }

  boolean passwordRequired() {
    return password != null;
  }

  /** Whether {@code user}/{@code pass} are this server's credentials: the user {@code default}, and the password if one is set. */
  boolean accepts(String user, String pass) {
    return user.equals("default") && (password == null || password.equals(pass));
  }

  /**
   * Whether a request may go on: it came on no connection (another verticle), or on an authenticated
   * one. The client's address is checked too, so that a connection of another cluster member with the
   * same id (ids are per member) never passes for one that authenticated here; that costs the request's
   * header map, only when a password is set.
   */
  boolean authenticated(Message<Object> request) {
    long id = Headers.connectionOf(request);
    if (id < 0) {
      return true;
    }
    Client c = clients.get(id);
    return c != null && c.authenticated && c.addr.equals(remote(request));
  }

  /**
   * The state of the connection {@code request} came on, made on first use (or made anew when the
   * entry under its id has another address: a connection of another member, or one whose close this
   * member was not told of); null when it came on no connection.
   */
  Client of(Message<Object> request, String command) {
    long id = Headers.connectionOf(request);
    if (id < 0) {
      return null;
    }
    String remote = remote(request);
    Client c = clients.compute(id, (i, old) -> old != null && old.addr.equals(remote) ? old : new Client(i, remote));
    if (clients.size() > MAX_CLIENTS) {
      forgetLeastRecent();
    }
    c.lastCommand = System.currentTimeMillis();
    c.lastCommandName = command;
    return c;
  }

  private static String remote(Message<Object> request) {
    String remote = request.headers().get(Headers.REMOTE);
    return remote == null ? "" : remote;
  }

  /**
   * Over {@link #MAX_CLIENTS} (only when closes are not seen: the application on another member than
   * its listeners), the tenth least recently active entries go.
   */
  private synchronized void forgetLeastRecent() {
    if (clients.size() <= MAX_CLIENTS) {
      return;
    }
    List<Client> all = new ArrayList<>(clients.values());
    all.sort(Comparator.comparingLong(c -> c.lastCommand));
    for (Client c : all.subList(0, all.size() / 10)) {
      clients.remove(c.id, c);
    }
  }

  /** Known connections, oldest first. */
  List<Client> all() {
    Collection<Client> values = clients.values();
    List<Client> out = new ArrayList<>(values);
    out.sort(Comparator.comparingLong(c -> c.id));
    return out;
  }

  void closed(long id) {
    clients.remove(id);
  }
}
