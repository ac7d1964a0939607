package dev.strata.framing;

import io.vertx.core.buffer.Buffer;

/** Turns a frame back into bytes; what it writes, the matching {@link Decoder} reads. Stateless. */
public interface Encoder<F> {

  /** Appends the encoded frame to {@code out}, so that several replies can share one write. */
  void encode(F frame, Buffer out);

  default Buffer encode(F frame) {
    Buffer out = Buffer.buffer();
    encode(frame, out);
    return out;
  }
}
