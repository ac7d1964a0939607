package dev.strata.apps;

import dev.strata.exchange.Headers;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the kv application knows about each connection of its node, by connection id
 * ({@link Headers#connectionOf}): name, library, protocol, whether it authenticated. Shared by the
 * instances of {@link KvVerticle} like the store (a connection's requests may reach any of them).
 *
 * <p>A connection gets an entry when it first says something about itself (HELLO, AUTH, CLIENT,
 * SELECT) or opens a transaction (MULTI, WATCH: its {@link KvTransaction}), not on every request: the
 * data commands pay nothing for it. The entry goes when the connection closes
 * ({@link Headers#CONNECTION_CLOSED} on the listener's member, {@link Headers#CONNECTION_CLOSED_CLUSTER}
 * from another member), and its transaction with it; a request of that connection still in flight
 * then makes no new entry (the last {@value #CLOSED_REMEMBERED} closes are remembered). The table is
 * bounded too, for closes that are never heard (a member that died).
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
    /** MULTI and WATCH state, made by the first of them. */
    private volatile KvTransaction tx;
    private boolean closed;

    Client(long id, String addr) {
      this.id = id;
      this.addr = addr;
    }

    /** The connection's transaction state, or null if it never used MULTI or WATCH. */
    KvTransaction transaction() {
      return tx;
    }

    /** The connection's transaction state, made on first use (closed at once if the connection is). */
    synchronized KvTransaction transaction(KvWatches watches, AtomicInteger multis) {
      if (tx == null) {
        tx = new KvTransaction(watches, multis);
        if (closed) {
          tx.close();
        }
      }
      return tx;
    }

    synchronized void close() {
      closed = true;
      if (tx != null) {
        tx.close();
      }
    }

    /** A line of CLIENT LIST / CLIENT INFO, Redis's fields in Redis's order (those that apply). */
    String info() {
      long now = System.currentTimeMillis();
      KvTransaction t = tx;
      return "id=" + id + " addr=" + addr + " laddr= fd=-1 name=" + name + " age=" + (now - created) / 1000
          + " idle=" + (now - lastCommand) / 1000 + " flags=" + (t != null && t.inMulti() ? "x" : "N")
          + " db=0 sub=0 psub=0 ssub=0 multi=" + (t == null ? -1 : t.queued()) + " watch=" + (t == null ? 0 : t.watching())
          + " cmd="
          + lastCommandName + " user=default redir=-1 resp=" + resp + " lib-name=" + libName + " lib-ver=" + libVer + "\n";
    }
  }

  /** Bound of the table, for when closes are not seen (see {@link #forgetLeastRecent}). */
  static final int MAX_CLIENTS = 100_000;
  /** How many closed connections are remembered, so that their requests still in flight make no entry. */
  static final int CLOSED_REMEMBERED = 4_096;

  private final ConcurrentHashMap<Long, Client> clients = new ConcurrentHashMap<>();
  private final String password;
  /** Connections between MULTI and EXEC (see {@link KvTransaction}). */
  private final AtomicInteger multis = new AtomicInteger();
  /** The last closed connections, as "id addr", oldest first. Guarded by itself. */
  private final LinkedHashSet<String> recentlyClosed = new LinkedHashSet<>();

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
    Client c = clients.get(id);
    if (c == null || !c.addr.equals(remote)) {
      if (wasClosed(id, remote)) {
        return null; // a request still in flight when its connection closed: keep nothing for it
      }
      c = clients.compute(id, (i, old) -> old != null && old.addr.equals(remote) ? old : replaced(old, new Client(i, remote)));
      if (clients.size() > MAX_CLIENTS) {
        forgetLeastRecent();
      }
    }
    c.lastCommand = System.currentTimeMillis();
    c.lastCommandName = command;
    return c;
  }

  /** An entry under an id now used by another connection: the old one's close was not heard. */
  private static Client replaced(Client old, Client fresh) {
    if (old != null) {
      old.close();
    }
    return fresh;
  }

  /** The state of the connection {@code request} came on, if it has any (never made here), now running {@code command}. */
  Client existing(Message<Object> request, String command) {
    long id = Headers.connectionOf(request);
    if (id < 0) {
      return null;
    }
    Client c = clients.get(id);
    if (c == null || !c.addr.equals(remote(request))) {
      return null;
    }
    c.lastCommand = System.currentTimeMillis();
    c.lastCommandName = command;
    return c;
  }

  /**
   * The transaction of the connection {@code request} came on if it is between MULTI and EXEC, else
   * null. While no connection of the store is (the usual case), one volatile read.
   */
  KvTransaction queuing(Message<Object> request) {
    if (multis.get() == 0) {
      return null;
    }
    long id = Headers.connectionOf(request);
    if (id < 0) {
      return null;
    }
    Client c = clients.get(id);
    KvTransaction tx = c == null ? null : c.transaction();
    return tx != null && tx.inMulti() && c.addr.equals(remote(request)) ? tx : null;
  }

  /** The counter of connections between MULTI and EXEC, for their transactions. */
  AtomicInteger multis() {
    return multis;
  }

  private static String remote(Message<Object> request) {
    String remote = request.headers().get(Headers.REMOTE);
    return remote == null ? "" : remote;
  }

  /**
   * Over {@link #MAX_CLIENTS} (only when closes are not heard: the listeners' member died), the tenth
   * least recently active entries go, with their transactions.
   */
  private synchronized void forgetLeastRecent() {
    if (clients.size() <= MAX_CLIENTS) {
      return;
    }
    List<Client> all = new ArrayList<>(clients.values());
    all.sort(Comparator.comparingLong(c -> c.lastCommand));
    for (Client c : all.subList(0, all.size() / 10)) {
      if (clients.remove(c.id, c)) {
        c.close();
      }
    }
  }

  /** Known connections, oldest first. */
  List<Client> all() {
    Collection<Client> values = clients.values();
    List<Client> out = new ArrayList<>(values);
    out.sort(Comparator.comparingLong(c -> c.id));
    return out;
  }

  /**
   * The connection {@code id} from {@code remote} (null: unknown, any) closed: its entry goes, and its
   * transaction (queued commands, watched keys) with it.
   */
  void closed(long id, String remote) {
    if (remote != null) {
      synchronized (recentlyClosed) {
        recentlyClosed.add(id + " " + remote);
        if (recentlyClosed.size() > CLOSED_REMEMBERED) {
          recentlyClosed.remove(recentlyClosed.iterator().next());
        }
      }
    }
    Client c = clients.get(id);
    if (c != null && (remote == null || c.addr.equals(remote)) && clients.remove(id, c)) {
      c.close();
    }
  }

  private boolean wasClosed(long id, String remote) {
    synchronized (recentlyClosed) {
      return recentlyClosed.contains(id + " " + remote);
    }
  }
}
