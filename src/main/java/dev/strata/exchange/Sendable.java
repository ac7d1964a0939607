package dev.strata.exchange;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.impl.CodecManager;
import io.vertx.core.eventbus.impl.EventBusImpl;
import java.lang.reflect.Field;

/**
 * Whether the event bus can carry a body, answered by the event bus's own codec table, so that the
 * local fast path refuses exactly the replies that the event bus would refuse (an application that
 * works on one path works on the other). Vert.x keeps that table out of its API, hence the field.
 */
final class Sendable {

  private static final Field CODECS;

  static {
    Field f;
    try {
      f = EventBusImpl.class.getDeclaredField("codecManager");
      f.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      f = null; // another Vert.x: the fast path then accepts what the protocol can write
    }
    CODECS = f;
  }

  private final CodecManager codecs;

  private Sendable(CodecManager codecs) {
    this.codecs = codecs;
  }

  static Sendable of(Vertx vertx) {
    CodecManager codecs = null;
    if (CODECS != null && vertx.eventBus() instanceof EventBusImpl bus) {
      try {
        codecs = (CodecManager) CODECS.get(bus);
      } catch (IllegalAccessException e) {
        codecs = null;
      }
    }
    return new Sendable(codecs);
  }

  /** Null when a local event-bus message could carry {@code body}, else the event bus's reason. */
  String problem(Object body, String codecName) {
    if (codecs == null) {
      return null;
    }
    try {
      codecs.lookupCodec(body, codecName, true);
      return null;
    } catch (IllegalArgumentException | IllegalStateException e) {
      return e.getMessage();
    }
  }
}
