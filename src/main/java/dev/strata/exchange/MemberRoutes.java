package dev.strata.exchange;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Routes by member: which member of the cluster serves which application address through
 * {@link Endpoint}, and the requests in flight to each.
 *
 * <p>Each member publishes the addresses its endpoints serve (the clustered map and address
 * {@value #ROUTES}), with the host and ports of its lanes' link servers (one per event loop), and
 * consumes {@code strata.node.<id>.dispatch.<lane>}, the same lanes over the event bus. A listener whose
 * application is not on its own member sends the requests of the reads of one event-loop turn as ONE
 * message to one member that serves the address (the same member for every read of a connection, so
 * that its requests stay in order), over its event loop's {@link RouteLink} to one of that member's
 * lanes (over the event bus when the link cannot be made), where {@link RouteReceiver} hands them to a
 * local endpoint as one batch; the outcomes come back in batches too. The plain event bus sends one
 * message per request and another per reply.
 *
 * <p>Because this member knows where each batch went, a member that leaves (stops, or is killed and
 * dropped by Hazelcast) fails its requests at once with {@code ERR <address>: member <id> left}, rather
 * than after the request timeout, and is out of the table for the next read. Addresses served only by
 * plain consumers (a bridge client, a verticle without {@link Endpoint}) keep the event bus.
 *
 * <p>Hazelcast's membership events reach {@link #memberLeft} from the cluster layer. The sending side is
 * {@link RouteSender}, the serving side {@link RouteReceiver}, the connections {@link RouteLink}, the
 * bytes {@link RouteWire}.
 */
public final class MemberRoutes implements Shareable {

  /** The clustered map of members' routes, and the address their changes are published on. */
  static final String ROUTES = "strata.routes";

  private static final System.Logger LOG = System.getLogger(MemberRoutes.class.getName());
  private static final Member[] NONE = new Member[0];

  final Vertx vertx;
  private final LocalEndpoints endpoints;
  private final Map<String, Member> members = new ConcurrentHashMap<>();
  private volatile Map<String, Member[]> byAddress = Map.of();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong batchIds = new AtomicLong();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private volatile boolean active;
  /** The join in progress or done; null before and after {@link #leave}. */
  private Future<Void> joined;
  String self;
  private volatile String name;
  private ContextInternal context;
  private RouteWire wire;
  private RouteReceiver receiver;
  private AsyncMap<String, JsonObject> map;
  private long version;
  private long sweeper = -1;
  private int lanes = 1;
  /** The links other members' listeners hold to this one's lanes: host, and a port per lane. */
  private String linkHost;
  private int[] linkPorts;
  /** The first link port ({@code cluster.linkPort}, one per lane from it); 0: free ports. */
  private volatile int linkPortBase;
  private final List<NetServer> servers = new ArrayList<>();
  private volatile NetClient client;
  /** This member's links to others (on their threads), closed when their member leaves. */
  final Set<RouteLink> links = ConcurrentHashMap.newKeySet();

  /** A member that serves some addresses. */
  record Member(String id, String name, long version, Set<String> addresses, int lanes, String host, int[] ports) {
    /**
     * One dispatch consumer per event loop of the member ("lane"), so that its event loops share the
     * work; a requesting thread always uses the same lane, so one connection's reads stay in order.
     */
    String dispatchAddress(int lane) {
      return MemberRoutes.dispatchAddress(id, lane);
    }
  }

  /** A batch in flight: its requests, the member it went to, how many still wait for an outcome. */
  static final class Pending {
    final ServerExchange<?> owner;
    final InboundRequest[] requests;
    final Member member;
    final String address;
    final AtomicInteger left;
    final long expires;
    final Dispatcher fallback;

    Pending(ServerExchange<?> owner, InboundRequest[] requests, Member member, String address, long expires,
        Dispatcher fallback) {
      this.fallback = fallback;
      this.owner = owner;
      this.requests = requests;
      this.member = member;
      this.address = address;
      this.left = new AtomicInteger(requests.length);
      this.expires = expires;
    }
  }

  private MemberRoutes(Vertx vertx) {
    this.vertx = vertx;
    this.endpoints = LocalEndpoints.of(vertx);
  }

  /** The routes of this Vert.x instance (one per node). */
  public static MemberRoutes of(Vertx vertx) {
    LocalMap<String, MemberRoutes> map = vertx.sharedData().getLocalMap("strata.exchange.routes");
    MemberRoutes existing = map.get("routes");
    if (existing != null) {
      return existing;
    }
    MemberRoutes fresh = new MemberRoutes(vertx);
    existing = map.putIfAbsent("routes", fresh);
    return existing == null ? fresh : existing;
  }

  static String dispatchAddress(String member, int lane) {
    return "strata.node." + member + ".dispatch." + lane;
  }

  static String outcomesAddress(String member) {
    return "strata.node." + member + ".outcomes";
  }

  /**
   * Joins the routes on a clustered node, as {@code name} (the member's Strata id, used in errors; its
   * Hazelcast id until given): consumes its dispatch and outcome addresses, reads the other members'
   * routes, publishes its own. Does nothing on a node on its own. {@link Endpoint#serve} joins too, so
   * that a member with applications and no Strata node around them is routed to.
   */
  public Future<Void> join(String name) {
    Future<Void> j;
    synchronized (this) {
      if (name != null) {
        this.name = name;
      }
      j = joined;
      if (j == null) {
        j = joined = start();
        return j;
      }
    }
    return name == null ? j : j.compose(v -> context == null ? Future.succeededFuture() : republish());
  }

  /**
   * Where this member's link servers listen ({@code cluster.linkPort}): from {@code first}, one port per
   * event loop; 0, free ports. Before {@link #join}.
   */
  public void linkPort(int first) {
    linkPortBase = first;
  }

  /** {@link #join(String)} keeping the name it has. */
  Future<Void> join() {
    return join(null);
  }

  private Future<Void> republish() {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> publish().onComplete(p));
    return p.future();
  }

  private Future<Void> start() {
    Sendable sendable = Sendable.of(vertx);
    if (!vertx.isClustered() || sendable.codecs() == null) {
      return Future.succeededFuture();
    }
    VertxInternal vi = (VertxInternal) vertx;
    this.self = vi.clusterManager().getNodeId();
    if (name == null) {
      name = self;
    }
    this.wire = new RouteWire(sendable.codecs());
    this.context = vi.contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP).build();
    this.receiver = new RouteReceiver(vertx, context, endpoints, wire, sendable);
    List<ContextInternal> loops = new ArrayList<>();
    for (io.netty.util.concurrent.EventExecutor loop : vi.nettyEventLoopGroup()) {
      loops.add(vi.contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP)
          .withEventLoop((io.netty.channel.EventLoop) loop).build());
    }
    this.lanes = loops.size();
    List<Future<Void>> registrations = new ArrayList<>();
    String host = vi.clusterManager().getNodeInfo() == null ? null : vi.clusterManager().getNodeInfo().host();
    int[] ports = new int[loops.size()];
    for (int lane = 0; lane < loops.size(); lane++) {
      String address = dispatchAddress(self, lane);
      Promise<Void> registered = Promise.promise();
      registrations.add(registered.future());
      Promise<Void> listening = Promise.promise();
      int l = lane;
      loops.get(lane).runOnContext(v -> {
        MessageConsumer<Buffer> dispatch = vertx.eventBus().consumer(address, receiver::handle);
        synchronized (this) {
          consumers.add(dispatch);
        }
        dispatch.completion().onComplete(registered);
        if (host == null) {
          listening.complete();
          return;
        }
        // the lane's link server: its connections run on this lane's event loop
        int port = linkPortBase == 0 ? 0 : linkPortBase + l;
        NetServer server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true));
        server.connectHandler(this::linked);
        server.listen().onComplete(ar -> {
          if (ar.succeeded()) {
            ports[l] = ar.result().actualPort();
            synchronized (this) {
              servers.add(ar.result());
            }
          } else {
            LOG.log(System.Logger.Level.WARNING, "no route link server on {0}:{1} (cluster.linkPort): {2}; other members "
                + "reach this one over the event bus", host, String.valueOf(port), ar.cause().toString());
          }
          listening.complete();
        });
      });
      registrations.add(listening.future());
    }
    Promise<Void> registered = Promise.promise();
    registrations.add(registered.future());
    context.runOnContext(v -> {
      // made on the routes' own context: not closed with whichever verticle first sends to a member
      client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(2_000));
      MessageConsumer<Buffer> outcomes = vertx.eventBus().consumer(outcomesAddress(self), this::outcomes);
      MessageConsumer<JsonObject> routes = vertx.eventBus().consumer(ROUTES, m -> learn(m.body()));
      // a member that leaves tells each member directly, and waits until each has stopped routing to it
      MessageConsumer<JsonObject> told = vertx.eventBus().consumer(routesAddress(self), m -> {
        learn(m.body());
        m.reply(null);
      });
      synchronized (this) {
        consumers.add(outcomes);
        consumers.add(routes);
        consumers.add(told);
      }
      Future.all(List.of(outcomes.completion(), routes.completion(), told.completion()))
          .<Void>mapEmpty().onComplete(registered);
    });
    Promise<Void> done = Promise.promise();
    Future.all(registrations)
        .compose(v -> {
          boolean all = true;
          for (int p : ports) {
            all &= p > 0;
          }
          if (all) { // else other members reach the lanes over the event bus only
            linkHost = host;
            linkPorts = ports;
          }
          return vertx.sharedData().<String, JsonObject>getAsyncMap(ROUTES);
        })
        .compose(m -> {
          map = m;
          return m.entries();
        })
        .onComplete(ar -> context.runOnContext(v -> {
          if (ar.failed()) {
            done.fail(ar.cause());
            return;
          }
          ar.result().values().forEach(this::learn);
          active = true;
          endpoints.onChange(() -> context.runOnContext(x -> publish()));
          sweeper = vertx.setPeriodic(1000, id -> sweep());
          publish().onComplete(done);
        }));
    return done.future();
  }

  /** A link from another member's event loop to this lane (on the lane's event loop). */
  private void linked(NetSocket s) {
    s.handler(new RouteLink.Frames(null, payload -> {
      if (!receiver.handle(payload, s)) {
        s.close();
      }
    }, s::close));
    s.closeHandler(v -> receiver.forget(s));
  }

  /** Whether the member {@code id} is in this member's routes table (it has not left). */
  boolean knows(String id) {
    return members.containsKey(id);
  }

  /** The client this member's links connect with. */
  NetClient client() {
    return client;
  }

  /** How long a member that leaves waits for the requests other members sent it to be answered. */
  static final long LEAVE_GRACE_MS = 10_000;

  /**
   * Stops routing here, without losing what was sent here: every member is told (and has answered)
   * that this one serves nothing, so their next reads go elsewhere; the requests already received are
   * answered (up to {@value #LEAVE_GRACE_MS} ms); then the consumers go. The applications are still up
   * throughout: call it before undeploying them.
   */
  public Future<Void> leave() {
    synchronized (this) {
      joined = null;
      if (!active) {
        return Future.succeededFuture();
      }
      active = false;
    }
    endpoints.onChange(null);
    vertx.cancelTimer(sweeper);
    JsonObject gone = entry(Set.of());
    List<Future<?>> told = new ArrayList<>();
    for (String node : ((VertxInternal) vertx).clusterManager().getNodes()) {
      if (!node.equals(self)) {
        told.add(vertx.eventBus().request(routesAddress(node), gone, new DeliveryOptions().setSendTimeout(2_000)));
      }
    }
    return Future.join(told).otherwiseEmpty()
        .compose(v -> map.remove(self).otherwiseEmpty())
        .compose(v -> {
          vertx.eventBus().publish(ROUTES, gone); // for a member that joined meanwhile
          return drained(System.nanoTime() + LEAVE_GRACE_MS * 1_000_000L);
        })
        .compose(v -> {
          List<MessageConsumer<?>> cs;
          synchronized (this) {
            cs = new ArrayList<>(consumers);
            consumers.clear();
          }
          List<Future<?>> closing = new ArrayList<>(cs.stream().map(MessageConsumer::unregister).toList());
          synchronized (this) {
            servers.forEach(sv -> closing.add(sv.close()));
            servers.clear();
            linkHost = null;
          }
          return Future.join(closing);
        })
        .<Void>mapEmpty().otherwiseEmpty();
  }

  /** Completes once every request received from other members is answered, or at {@code until}. */
  private Future<Void> drained(long until) {
    if (receiver.held() <= 0 || System.nanoTime() - until > 0) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    vertx.setTimer(20, id -> drained(until).onComplete(p));
    return p.future();
  }

  static String routesAddress(String member) {
    return "strata.node." + member + ".routes";
  }

  private synchronized JsonObject entry(Set<String> addresses) {
    JsonObject e = new JsonObject().put("id", self).put("name", name).put("version", ++version).put("lanes", lanes)
        .put("addresses", new JsonArray(new ArrayList<>(new TreeSet<>(addresses))));
    if (linkHost != null && !addresses.isEmpty()) {
      JsonArray ps = new JsonArray();
      for (int p : linkPorts) {
        ps.add(p);
      }
      e.put("host", linkHost).put("ports", ps);
    }
    return e;
  }

  /** Puts this member's addresses in the map, then tells the members (who also learn them from the map). */
  private Future<Void> publish() {
    if (!active) {
      return Future.succeededFuture();
    }
    JsonObject e = entry(endpoints.addresses());
    return map.put(self, e).onSuccess(v -> vertx.eventBus().publish(ROUTES, e))
        .onFailure(err -> LOG.log(System.Logger.Level.WARNING, "could not publish this member''s routes: {0}",
            err.getMessage()));
  }

  /** A member's routes, from the map or a publication; an older version than known is ignored. */
  private void learn(JsonObject e) {
    String id = e.getString("id");
    if (id == null || id.equals(self)) {
      return;
    }
    Set<String> addresses = new TreeSet<>();
    e.getJsonArray("addresses", new JsonArray()).forEach(a -> addresses.add(String.valueOf(a)));
    JsonArray ps = e.getJsonArray("ports", new JsonArray());
    int[] ports = new int[e.getString("host") == null ? 0 : ps.size()];
    for (int i = 0; i < ports.length; i++) {
      ports[i] = ps.getInteger(i);
    }
    Member m = new Member(id, e.getString("name", id), e.getLong("version", 0L), Set.copyOf(addresses),
        Math.max(1, e.getInteger("lanes", 1)), e.getString("host"), ports);
    synchronized (this) {
      Member known = members.get(id);
      if (known != null && known.version() >= m.version()) {
        return;
      }
      members.put(id, m); // kept while it serves nothing too: its name is in the errors if it dies
      rebuild();
    }
  }

  /** Called by the cluster layer when Hazelcast drops a member: its requests in flight fail now. */
  public void memberLeft(String id) {
    Member m;
    synchronized (this) {
      m = members.remove(id);
      rebuild();
    }
    if (receiver != null) {
      receiver.forget(id);
    }
    for (RouteLink l : links) {
      if (l.member.id().equals(id)) {
        l.close();
      }
    }
    String who = m != null ? m.name() : id;
    if (m != null && who.matches("n[0-9]+")) { // a Strata member: pushes to its connections fail from now on
      PushRoutes.of(vertx).memberLeft(Integer.parseInt(who.substring(1)));
    }
    Map<ServerExchange<?>, List<InboundRequest>> failed = new IdentityHashMap<>();
    int n = 0;
    for (Map.Entry<Long, Pending> x : pending.entrySet()) {
      Pending p = x.getValue();
      if (!p.member.id().equals(id) || pending.remove(x.getKey()) == null) {
        continue;
      }
      ReplyException left = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 503,
          "ERR " + p.address + ": member " + who + " left");
      for (InboundRequest r : p.requests) {
        if (r.complete(left)) {
          failed.computeIfAbsent(p.owner, o -> new ArrayList<>()).add(r);
          n++;
        }
      }
    }
    failed.forEach(ServerExchange::answered);
    if (map != null && active) {
      map.remove(id); // any survivor may: the member cannot
    }
    if (m != null || n > 0) {
      LOG.log(System.Logger.Level.INFO, "member {0} left: {1} requests in flight to it failed", who, n);
    }
  }

  private void rebuild() {
    Map<String, List<Member>> t = new HashMap<>();
    for (Member m : members.values()) {
      for (String a : m.addresses()) {
        t.computeIfAbsent(a, k -> new ArrayList<>()).add(m);
      }
    }
    Map<String, Member[]> next = new HashMap<>();
    t.forEach((a, ms) -> {
      ms.sort((x, y) -> x.id().compareTo(y.id()));
      next.put(a, ms.toArray(NONE));
    });
    byAddress = next;
  }

  /** The member that serves {@code address} for the caller {@code key} (a connection), or null. */
  Member pick(String address, long key) {
    if (!active) {
      return null;
    }
    Member[] a = byAddress.get(address);
    if (a == null) {
      return null;
    }
    return a.length == 1 ? a[0] : a[(int) Math.floorMod(Long.hashCode(key * 0x9E3779B97F4A7C15L), (long) a.length)];
  }

  /**
   * Queues the requests of one read for {@code member}: the reads of one event-loop turn for one member
   * leave as one message at the end of the turn. If that member no longer serves the address, they go
   * to {@code fallback}.
   */
  void send(Member member, String address, long timeoutMs, List<InboundRequest> batch, ServerExchange<?> owner,
      Dispatcher fallback) {
    long id = batchIds.incrementAndGet();
    Buffer b;
    try {
      b = wire.batch(id, address, timeoutMs, owner.connectionId(), owner.listenerName(), owner.remote(), batch);
    } catch (RuntimeException e) { // a body with no codec: the event bus gives each request its own refusal
      fallback.dispatch(batch, owner);
      return;
    }
    owner.crossedBus();
    Pending p = new Pending(owner, batch.toArray(new InboundRequest[0]), member, address,
        System.nanoTime() + (timeoutMs + 1000) * 1_000_000L, fallback);
    pending.put(id, p);
    RouteSender.queue(this, member, id, b, timeoutMs, owner.setup.context);
  }

  /** Batches whose member did not take them: each to the listener's next dispatcher (the event bus). */
  void fallBack(List<Long> ids) {
    for (Long id : ids) {
      Pending p = pending.remove(id);
      if (p == null) {
        continue;
      }
      List<InboundRequest> rest = new ArrayList<>();
      for (InboundRequest r : p.requests) {
        if (!r.done) {
          rest.add(r);
        }
      }
      if (!rest.isEmpty()) {
        p.fallback.dispatch(rest, p.owner);
      }
    }
  }

  /** Outcomes that came after their batch's reply: to their connections, one wake-up each. */
  private void outcomes(Message<Buffer> m) {
    Map<ServerExchange<?>, List<InboundRequest>> done = new IdentityHashMap<>();
    apply(m.body(), (p, r) -> done.computeIfAbsent(p.owner, o -> new ArrayList<>()).add(r));
    done.forEach(ServerExchange::answered);
  }

  interface Completed {
    void accept(Pending p, InboundRequest r);
  }

  void apply(Buffer outcomes, Completed sink) {
    try {
      wire.readOutcomes(outcomes, (batch, index, outcome, headers) -> {
        Pending p = pending.get(batch);
        if (p == null || index < 0 || index >= p.requests.length) {
          return;
        }
        InboundRequest r = p.requests[index];
        r.replyHeaders(headers);
        if (r.complete(outcome)) {
          sink.accept(p, r);
        }
        if (p.left.decrementAndGet() == 0) {
          pending.remove(batch);
        }
      });
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "unreadable outcomes from another member: {0}", e.toString());
    }
  }

  /** Drops batches whose requests were all answered otherwise (timeout) or whose connection went. */
  private void sweep() {
    long now = System.nanoTime();
    pending.values().removeIf(p -> now - p.expires > 0 || allDone(p));
  }

  private static boolean allDone(Pending p) {
    for (InboundRequest r : p.requests) {
      if (!r.done) {
        return false;
      }
    }
    return true;
  }

  /** Closes this member's link servers and keeps their ports in its routes (tests: links that cannot be made). */
  Future<Void> closeLinkServers() {
    List<NetServer> ss;
    synchronized (this) {
      ss = new ArrayList<>(servers);
      servers.clear();
    }
    return Future.join(ss.stream().map(NetServer::close).toList()).mapEmpty();
  }

  /** How many direct links this member's event loops hold to other members' lanes (for tests). */
  public int links() {
    return links.size();
  }

  /** How many batches are in flight to other members (for tests and the admin API). */
  int inFlight() {
    return pending.size();
  }
}
