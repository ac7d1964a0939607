package dev.strata.cli;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/** Builds the Vert.x instance of a node. */
final class Nodes {

  private Nodes() {
  }

  static Vertx create() {
    return Vertx.builder().with(new VertxOptions()).build();
  }
}
