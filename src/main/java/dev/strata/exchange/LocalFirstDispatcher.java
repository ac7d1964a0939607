package dev.strata.exchange;

import java.util.List;

/**
 * The fast path: when an application on this node serves the address through {@link Endpoint}, the
 * read's requests go to it as one batch (called in place when it runs on the connection's event
 * loop); otherwise to the next dispatcher. The application cannot tell: see {@link Endpoint}.
 */
final class LocalFirstDispatcher implements Dispatcher {

  private final LocalEndpoints endpoints;
  private final String address;
  private final Dispatcher next;

  LocalFirstDispatcher(LocalEndpoints endpoints, String address, Dispatcher next) {
    this.endpoints = endpoints;
    this.address = address;
    this.next = next;
  }

  @Override
  public void dispatch(List<InboundRequest> batch, ServerExchange<?> owner) {
    Endpoint local = endpoints.pick(address, owner.connectionId()); // one connection, one instance: in order
    if (local != null) {
      local.deliver(batch, owner);
    } else {
      next.dispatch(batch, owner);
    }
  }
}
