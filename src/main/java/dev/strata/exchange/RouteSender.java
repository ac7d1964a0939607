package dev.strata.exchange;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sending side of member routes ({@link MemberRoutes}): the batches of one event-loop turn for one
 * member, gathered on the thread that made them and sent as one message when the turn ends, on this
 * thread's {@link RouteLink} to the member's lane of this thread (or over the event bus to that lane's
 * dispatch consumer, whose reply carries the outcomes); the outcomes go to their connections, one
 * wake-up each.
 */
final class RouteSender {

  /** This thread's lane on every member (see {@link MemberRoutes.Member#dispatchAddress}). */
  private static final AtomicInteger LANES = new AtomicInteger();
  private static final ThreadLocal<Integer> LANE = ThreadLocal.withInitial(LANES::getAndIncrement);

  /** The batches queued on this thread for each member in this event-loop turn. */
  private static final ThreadLocal<Map<String, RouteSender>> TURN = ThreadLocal.withInitial(HashMap::new);

  private final MemberRoutes routes;
  private final MemberRoutes.Member member;
  private final Buffer message;
  private final List<Long> ids = new ArrayList<>(4);
  private final ContextInternal context;
  private long timeoutMs;

  private RouteSender(MemberRoutes routes, MemberRoutes.Member member, ContextInternal context) {
    this.routes = routes;
    this.member = member;
    this.context = context;
    this.message = RouteWire.messageHead(routes.self);
  }

  /** Queues a batch for {@code member}; the first of a turn schedules the send on {@code context} (this thread's). */
  static void queue(MemberRoutes routes, MemberRoutes.Member member, long id, Buffer batch, long timeoutMs,
      ContextInternal context) {
    Map<String, RouteSender> turn = TURN.get();
    RouteSender out = turn.get(member.id());
    if (out == null || out.routes != routes || out.member != member) {
      out = new RouteSender(routes, member, context);
      turn.put(member.id(), out);
    }
    out.message.appendBuffer(batch);
    out.ids.add(id);
    out.timeoutMs = Math.max(out.timeoutMs, timeoutMs);
    if (out.ids.size() == 1) {
      RouteSender o = out;
      context.runOnContext(v -> {
        turn.remove(o.member.id(), o);
        o.send();
      });
    }
  }

  private void send() {
    RouteWire.count(message, routes.self, ids.size());
    int lane = LANE.get();
    // links belong to event loops (a worker context's turns may run on different threads)
    RouteLink link = member.ports().length > 0 && context.isEventLoopContext() && routes.client() != null
        ? RouteLink.of(routes, member, lane, context) : null;
    if (link != null && link.send(message, ids, timeoutMs)) {
      return;
    }
    overBus(routes, member, lane, message, ids, timeoutMs, link);
  }

  /**
   * A framed message over the event bus to the member's dispatch lane (when it has no link, or its link
   * failed): the batches stay in flight to that member, so that they fail at once if it has left.
   * {@code instead}: the closed link this message would have taken (null: none), which counts it until
   * it is answered, so that no new link overtakes it (see {@link RouteLink#of}).
   */
  static void overBus(MemberRoutes routes, MemberRoutes.Member member, int lane, Buffer message, List<Long> ids,
      long timeoutMs, RouteLink instead) {
    if (instead != null) {
      instead.busInFlight++;
    }
    routes.vertx.eventBus().<Buffer>request(member.dispatchAddress(lane % member.lanes()),
            message.slice(5, message.length()), new DeliveryOptions().setSendTimeout(timeoutMs))
        .onComplete(ar -> {
          if (instead != null) {
            instead.busInFlight--; // on this same thread: the request was made on its event loop
          }
          if (ar.succeeded()) {
            Map<ServerExchange<?>, List<InboundRequest>> done = new IdentityHashMap<>();
            routes.apply(ar.result().body(), (p, r) -> done.computeIfAbsent(p.owner, o -> new ArrayList<>(4)).add(r));
            done.forEach(ServerExchange::answered);
          } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
            routes.fallBack(ids); // the member went, or stopped routing, as these were sent
          }
          // a timeout: the connections' timers have answered the requests; the sweep drops the entries
        });
  }
}
