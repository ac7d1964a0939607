package dev.strata.framing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;

/**
 * Where a multiplexed protocol carries a request's tag, so that replies can come back in any order
 * and still be matched. A codec offers it through {@link FrameCodec#tagging()}.
 *
 * <pre>
 *   json, tagField "id":      {"id": 7, "op": "get"}        tag 7, payload {"op": "get"}
 *   length, tagBytes 4:       | 00 00 00 09 | 00 00 00 07 | g e t |     tag 7, payload "get"
 *                               length        tag
 * </pre>
 *
 * <p>Tags are {@code Long}s for byte frames and JSON scalars (String, Number) for JSON; two tags are
 * the same tag when they are {@code equals}.
 */
public interface Tagging<F> {

  /** The frame's tag, or null when it carries none. */
  Object tag(F frame);

  /** What the frame carries besides its tag: the frame without it (the tag is framing, not payload). */
  F payload(F frame);

  /** A frame carrying {@code payload} under {@code tag}; never modifies {@code payload}. */
  F tagged(F payload, Object tag);

  /** A tag for an outbound request, from a per-connection counter, in this protocol's form. */
  Object tagFor(long counter);

  /**
   * A response's payload as its requester should see it, given the payload it sent. Where the tag
   * travels inside the payload (a JSON field), the field is given back the request's own value, or
   * removed when the request had none: a client's tag (which overwrote the requester's {@code id})
   * never reaches the requester. May modify {@code response}, a frame just decoded. Byte tags sit
   * outside the payload: the default returns {@code response} as it is.
   */
  default F restored(F response, F request) {
    return response;
  }

  /** Tags in a JSON object's field. */
  static Tagging<JsonObject> field(String name) {
    return new Tagging<>() {
      @Override
      public Object tag(JsonObject frame) {
        Object v = frame.getValue(name);
        return v instanceof Number n ? (Object) n.longValue() : v;
      }

      @Override
      public JsonObject payload(JsonObject frame) {
        if (!frame.containsKey(name)) {
          return frame;
        }
        JsonObject out = new JsonObject(new LinkedHashMap<>(frame.getMap())); // shallow: the frame stays as it was
        out.remove(name);
        return out;
      }

      @Override
      public JsonObject tagged(JsonObject payload, Object tag) {
        JsonObject out = new JsonObject(new LinkedHashMap<>(payload.getMap())); // shallow: the payload stays as it was
        return tag == null ? out : out.put(name, tag);
      }

      @Override
      public Object tagFor(long counter) {
        return counter;
      }

      @Override
      public JsonObject restored(JsonObject response, JsonObject request) {
        if (request.containsKey(name)) {
          response.put(name, request.getValue(name));
        } else {
          response.remove(name);
        }
        return response;
      }

      @Override
      public String toString() {
        return "field '" + name + "'";
      }
    };
  }

  /** Tags in the first {@code bytes} bytes (1, 2, 4 or 8; big-endian, unsigned but for 8) of a byte frame. */
  static Tagging<Buffer> leadingBytes(int bytes) {
    if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) {
      throw new IllegalArgumentException("tagBytes " + bytes + " must be 1, 2, 4 or 8");
    }
    long mask = bytes == 8 ? -1L : (1L << (8 * bytes)) - 1;
    return new Tagging<>() {
      @Override
      public Object tag(Buffer frame) {
        if (frame.length() < bytes) {
          return null;
        }
        return switch (bytes) {
          case 1 -> (long) frame.getUnsignedByte(0);
          case 2 -> (long) frame.getUnsignedShort(0);
          case 4 -> frame.getUnsignedInt(0);
          default -> frame.getLong(0);
        };
      }

      @Override
      public Buffer payload(Buffer frame) {
        return frame.length() <= bytes ? Buffer.buffer(0) : frame.slice(bytes, frame.length());
      }

      @Override
      public Buffer tagged(Buffer payload, Object tag) {
        long t = tag instanceof Number n ? n.longValue() : 0;
        Buffer out = Buffer.buffer(bytes + payload.length());
        switch (bytes) {
          case 1 -> out.appendByte((byte) t);
          case 2 -> out.appendShort((short) t);
          case 4 -> out.appendInt((int) t);
          default -> out.appendLong(t);
        }
        return out.appendBuffer(payload);
      }

      @Override
      public Object tagFor(long counter) {
        return counter & mask;
      }

      @Override
      public String toString() {
        return "leading " + bytes + " bytes";
      }
    };
  }
}
