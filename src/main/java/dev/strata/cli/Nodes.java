package dev.strata.cli;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/** Builds the Vert.x instance of a node. */
final class Nodes {

  private Nodes() {
  }

  /**
   * One event loop per core (Vert.x's default is two): with listeners and applications both at one
   * instance per core, every event loop then holds an instance of each, and the exchange's fast path
   * calls the application in place, with no thread hop.
   */
  static Vertx create() {
    int cores = Runtime.getRuntime().availableProcessors();
    return Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(cores)).build();
  }
}
