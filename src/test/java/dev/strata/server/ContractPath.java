package dev.strata.server;

/**
 * The ways a listener's request reaches an application served with {@code Endpoint.serve}. The
 * application must not be able to tell them apart except by speed (see {@code Endpoint}).
 */
enum ContractPath {
  /** {@code dispatch: local-first}, the application on the connection's event loop: called in place. */
  LOCAL_IN_PLACE,
  /** {@code dispatch: local-first}, the application on another event loop: one task per read on its context. */
  LOCAL_FIRST,
  /** {@code dispatch: event-bus}: one event-bus request per frame, on one node. */
  EVENT_BUS,
  /** The listener on cluster member A, the application on member B: over the clustered event bus. */
  CLUSTER;

  boolean local() {
    return this == LOCAL_IN_PLACE || this == LOCAL_FIRST;
  }
}
