package dev.strata.exchange;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A direct TCP connection from one event loop of a listener's member to one dispatch lane of a member
 * that serves applications ({@link MemberRoutes}), beside the clustered event bus: the batches of a
 * turn go out as one frame, written on the thread that made them (the connection belongs to that event
 * loop), and their outcomes come back on the same connection, to the same thread, which writes them
 * to the clients' sockets. On the serving member the lane's server reads the frame on the lane's event
 * loop, where {@link Endpoint}s pick the instance on the calling thread, and writes the outcomes back
 * in the same read: no context hop on either side when the instance is there, no event-bus envelope,
 * reply handler, reply address or timer per message, and one flush per read.
 *
 * <pre>
 *   frame := length:i32 kind:i8 payload     (length counts kind and payload)
 *   kind 0: a message of batches ({@link RouteWire}); kind 1: a message of outcomes
 * </pre>
 *
 * <p>A member that dies closes its end; its requests are failed by {@link MemberRoutes#memberLeft}
 * when Hazelcast drops it (a closed connection alone says nothing of the requests: a member that
 * leaves closes them after answering everything). Batches queued while connecting, when the
 * connection cannot be made, go to the listener's next dispatcher (the event bus).
 */
final class RouteLink {

  static final byte BATCHES = 0;
  static final byte OUTCOMES = 1;
  private static final int MAX_FRAME = 64 * 1024 * 1024;

  /** This thread's links, by member id. */
  private static final ThreadLocal<Map<String, RouteLink>> LINKS = ThreadLocal.withInitial(HashMap::new);

  private final MemberRoutes routes;
  final MemberRoutes.Member member;
  private final int lane;
  private NetSocket socket;
  private List<Object[]> queued = new ArrayList<>();
  private volatile boolean closed;
  /** When it failed or closed (nanoTime): a new link is tried a while after, the event bus meanwhile. */
  private long closedAt;
  /** Messages sent over the event bus in this link's place and not answered yet (this link's thread only). */
  int busInFlight;

  private RouteLink(MemberRoutes routes, MemberRoutes.Member member, int lane) {
    this.routes = routes;
    this.member = member;
    this.lane = lane;
  }

  /** How long after a link failed the member's lane is reached over the event bus before trying again. */
  private static final long RETRY_NS = 1_000_000_000L;

  /** This thread's link to {@code member}'s lane {@code lane}, connecting it (on {@code context}) if new. */
  static RouteLink of(MemberRoutes routes, MemberRoutes.Member member, int lane, ContextInternal context) {
    Map<String, RouteLink> mine = LINKS.get();
    RouteLink l = mine.get(member.id());
    // a closed link is tried again a while after it closed, and only once nothing sent over the event bus
    // in its place is still unanswered: a new link must not overtake those (one connection's requests run
    // in the order it sent them)
    if (l != null && l.routes == routes && l.member.host().equals(member.host())
        && java.util.Arrays.equals(l.member.ports(), member.ports())
        && !(l.closed && l.busInFlight == 0 && System.nanoTime() - l.closedAt > RETRY_NS)) {
      return l;
    }
    // new, or the member's ports changed (its old servers closed that link, or will): a fresh link; and
    // the closed links of members that have left go, so that a thread keeps none per departed member
    mine.values().removeIf(x -> x.closed && x.busInFlight == 0 && !x.routes.knows(x.member.id()));
    RouteLink fresh = new RouteLink(routes, member, lane);
    mine.put(member.id(), fresh);
    routes.links.add(fresh);
    fresh.connect(routes.client(), lane, context);
    return fresh;
  }

  private void connect(NetClient client, int lane, ContextInternal context) {
    int port = member.ports()[lane % member.ports().length];
    context.runOnContext(v -> client.connect(port, member.host()).onComplete(ar -> {
      if (ar.failed() || closed) {
        if (ar.succeeded()) {
          ar.result().close();
        }
        gone();
        return;
      }
      NetSocket s = ar.result();
      s.handler(new Frames(this::outcomes, s::close));
      s.closeHandler(v2 -> gone());
      socket = s;
      List<Object[]> q = queued;
      queued = null;
      for (Object[] x : q) {
        s.write((Buffer) x[0]);
      }
    }));
  }

  /**
   * Sends one message of batches (framed by {@link RouteSender}); runs on this link's thread. False
   * when the link is closed: the caller falls back.
   */
  boolean send(Buffer frame, List<Long> ids, long timeoutMs) {
    if (closed) {
      return false;
    }
    if (socket != null) {
      socket.write(frame);
    } else {
      queued.add(new Object[] {frame, ids, timeoutMs});
    }
    return true;
  }

  /** A message of outcomes from the member: to their connections, one wake-up each. */
  private void outcomes(Buffer payload) {
    Map<ServerExchange<?>, List<InboundRequest>> done = new IdentityHashMap<>();
    routes.apply(payload, (p, r) -> done.computeIfAbsent(p.owner, o -> new ArrayList<>(4)).add(r));
    done.forEach(ServerExchange::answered);
  }

  /** Closes the link (the member left); may run on any thread. */
  void close() {
    NetSocket s = socket;
    if (s != null) {
      s.close();
    }
  }

  /**
   * The connection failed or closed (on this link's thread): batches queued while connecting go over
   * the event bus to the member's lane, still in flight to that member (if it died, they fail when
   * Hazelcast drops it, as they would have here); so do the next turns' for a while.
   */
  private void gone() {
    closedAt = System.nanoTime();
    closed = true;
    routes.links.remove(this);
    List<Object[]> q = queued;
    queued = null;
    if (q != null) {
      for (Object[] x : q) {
        @SuppressWarnings("unchecked")
        List<Long> ids = (List<Long>) x[1];
        RouteSender.overBus(routes, member, lane, (Buffer) x[0], ids, (Long) x[2], this);
      }
    }
  }

  /** Splits a stream into frames, handing each frame's payload (a slice) to {@code kind 0/1} handling. */
  static final class Frames implements Handler<Buffer> {
    private final Consumer<Buffer> outcomes;
    private final Consumer<Buffer> batches;
    private final Runnable bad;
    private Buffer rest;

    /** For a listener's side: outcomes only. */
    Frames(Consumer<Buffer> outcomes, Runnable bad) {
      this(outcomes, null, bad);
    }

    Frames(Consumer<Buffer> outcomes, Consumer<Buffer> batches, Runnable bad) {
      this.outcomes = outcomes;
      this.batches = batches;
      this.bad = bad;
    }

    @Override
    public void handle(Buffer chunk) {
      Buffer b = rest == null ? chunk : rest.appendBuffer(chunk);
      rest = null;
      int n = b.length();
      int pos = 0;
      while (n - pos >= 4) {
        int len = b.getInt(pos);
        if (len < 1 || len > MAX_FRAME) {
          bad.run();
          return;
        }
        if (n - pos - 4 < len) {
          break;
        }
        byte kind = b.getByte(pos + 4);
        Buffer payload = b.slice(pos + 5, pos + 4 + len);
        pos += 4 + len;
        if (kind == OUTCOMES && outcomes != null) {
          outcomes.accept(payload);
        } else if (kind == BATCHES && batches != null) {
          batches.accept(payload);
        } else {
          bad.run();
          return;
        }
      }
      if (pos < n) {
        rest = Buffer.buffer(Math.max(256, n - pos)).appendBuffer(b, pos, n - pos);
      }
    }
  }
}
