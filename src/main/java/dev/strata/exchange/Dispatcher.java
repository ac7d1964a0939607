package dev.strata.exchange;

import java.util.List;

/**
 * How the requests of one read reach their application. Each request is completed exactly once
 * ({@link InboundRequest#complete}), on any thread; the connection's timer answers those that never
 * are. Dispatchers compose: {@link LocalFirstDispatcher} calls a local {@link Endpoint} and hands
 * the rest to the next one, {@link EventBusDispatcher} sends each request over the event bus.
 */
interface Dispatcher {

  void dispatch(List<InboundRequest> batch, ServerExchange<?> owner);
}
