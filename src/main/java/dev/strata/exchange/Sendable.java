package dev.strata.exchange;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.impl.CodecManager;
import io.vertx.core.eventbus.impl.EventBusImpl;
import io.vertx.core.eventbus.impl.codecs.ClusterSerializableCodec;
import io.vertx.core.eventbus.impl.codecs.SerializableCodec;
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

  /** The event bus's codec table, or null on a Vert.x whose table this class cannot reach. */
  CodecManager codecs() {
    return codecs;
  }

  /**
   * {@code body} as a local event-bus message would deliver it.
   *
   * <p>The event bus delivers what the body's codec's {@code transform} makes of it, and a transform
   * that throws (Java serialization of an {@code ArrayList} holding a {@code Buffer}) makes
   * {@code reply} throw. The fast path runs the transform where it can fail or change the body: Java
   * serialization and applications' own codecs. It skips it for Vert.x's built-in types (String,
   * Buffer, JSON, numbers), whose transform is a copy that the listener would write the same.
   *
   * @throws RuntimeException with the event bus's reason when it could not carry the body (no codec:
   *     {@code IllegalArgumentException}; a failed transform: its exception)
   */
  Object deliverable(Object body, String codecName) {
    if (codecs == null) {
      return body;
    }
    @SuppressWarnings("unchecked")
    MessageCodec<Object, Object> codec = codecs.lookupCodec(body, codecName, true);
    Object c = codec;
    boolean transforms = codec.systemCodecID() < 0 || c instanceof SerializableCodec || c instanceof ClusterSerializableCodec;
    return transforms ? codec.transform(body) : body;
  }
}
