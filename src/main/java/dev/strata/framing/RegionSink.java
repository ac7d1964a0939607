package dev.strata.framing;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * A {@link FrameSink} of byte frames that takes each frame as a region of a buffer rather than as an
 * object of its own: bytes {@code [from, from + length)} of {@code bytes}, readable only during the
 * call. The buffer is the chunk being decoded, or for a frame that spans chunks a scratch buffer the
 * decoder reuses for the next one: copy what you keep.
 *
 * <p>Decoding into a RegionSink allocates nothing per frame (no slice, no {@code Buffer}); a frame
 * cut by a chunk's end is assembled in a scratch buffer taken from a small per-thread pool and given
 * back whenever a read ends on a frame boundary, so an idle connection holds none. It suits a consumer
 * that turns the bytes into something else at once: a line into a String, a record into an object.
 * The byte codecs ({@code lines}, {@code delimiter}, {@code fixed}, {@code length}, {@code varint})
 * deliver regions (a {@code delimiter} frame that spans chunks comes as a Buffer of its own); any
 * other decoder hands a RegionSink whole frames through {@link #frame(Buffer)}, which is the region
 * of all of that frame.
 */
public interface RegionSink extends FrameSink<Buffer> {

  /** A frame: {@code bytes[from, from + length)}, valid until this call returns. */
  void frame(Buffer bytes, int from, int length);

  @Override
  default void frame(Buffer frame) {
    frame(frame, 0, frame.length());
  }

  /** The region as UTF-8 text, decoded from the bytes in place (no intermediate copy). */
  static String utf8(Buffer bytes, int from, int length) {
    return Chunks.bytes(bytes).toString(from, length, StandardCharsets.UTF_8);
  }
}
