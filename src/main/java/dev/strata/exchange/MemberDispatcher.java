package dev.strata.exchange;

import java.util.List;

/**
 * The requests of one read to the member that serves the address, as one message ({@link MemberRoutes});
 * to the next dispatcher (the event bus) when no member is known to serve it through {@link Endpoint}.
 */
final class MemberDispatcher implements Dispatcher {

  private final MemberRoutes routes;
  private final String address;
  private final long timeoutMs;
  private final Dispatcher next;

  MemberDispatcher(MemberRoutes routes, String address, long timeoutMs, Dispatcher next) {
    this.routes = routes;
    this.address = address;
    this.timeoutMs = timeoutMs;
    this.next = next;
  }

  @Override
  public void dispatch(List<InboundRequest> batch, ServerExchange<?> owner) {
    MemberRoutes.Member m = routes.pick(address, owner.connectionId()); // one connection, one member: in order
    if (m == null) {
      next.dispatch(batch, owner);
    } else {
      routes.send(m, address, timeoutMs, batch, owner, next);
    }
  }
}
