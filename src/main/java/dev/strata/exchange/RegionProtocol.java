package dev.strata.exchange;

import dev.strata.framing.RegionSink;
import io.vertx.core.buffer.Buffer;

/**
 * A {@link Protocol} of byte frames that makes a request body straight from a frame's bytes, so the
 * exchange decodes into a {@link RegionSink} and no frame object is made per request (a line becomes
 * its String in one step, rather than a slice, a Buffer and then the String).
 */
public interface RegionProtocol extends Protocol<Buffer> {

  /** The event-bus body for the frame {@code bytes[from, from + length)}; read it now, it is reused. */
  Object toBody(Buffer bytes, int from, int length);
}
