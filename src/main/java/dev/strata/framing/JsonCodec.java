package dev.strata.framing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * JSON objects, each prefixed by its length: the framing of the Vert.x TCP event-bus bridge.
 *
 * <pre>
 *   bytes in:   | 00 00 00 0F | {"type":"ping"} |
 *   frames out:   JsonObject {"type":"ping"}
 * </pre>
 *
 * <p>The prefix is 4 bytes, big-endian, and counts the UTF-8 JSON text only. Options:
 * {@code maxFrameBytes} (default 1 MiB, the JSON text; decode); {@code tagField} (default {@code id}:
 * where a multiplexed exchange reads and writes each request's tag, see {@link Tagging#field}). A length over the maximum is a
 * resyncable {@link FrameTooLongException} (its bytes are skipped); a negative length is corrupt and
 * not resyncable; text that is not a JSON object (invalid JSON, an array, a string, {@code null}) is a
 * {@link CorruptFrameException} that <em>is</em> resyncable, since the next frame's start is known.
 */
public final class JsonCodec implements FrameCodec<JsonObject> {

  public static final String NAME = "json";
  public static final int DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

  private static final Encoder<JsonObject> ENCODER = (frame, out) -> {
    int at = out.length();
    out.appendInt(0);
    out.appendBuffer(frame.toBuffer());
    out.setInt(at, out.length() - at - 4);
  };

  public static final String DEFAULT_TAG_FIELD = "id";

  private final LengthFieldCodec framing;
  private final Tagging<JsonObject> tagging;

  private JsonCodec(int maxFrameBytes, String tagField) {
    this.framing = LengthFieldCodec.builder().maxFrameBytes(maxFrameBytes).build();
    this.tagging = Tagging.field(tagField);
  }

  public static JsonCodec create() {
    return new JsonCodec(DEFAULT_MAX_FRAME_BYTES, DEFAULT_TAG_FIELD);
  }

  public static JsonCodec create(int maxFrameBytes) {
    return new JsonCodec(maxFrameBytes, DEFAULT_TAG_FIELD);
  }

  /** With multiplexed correlation, requests and replies carry their tag in {@code tagField} (default {@code id}). */
  public static JsonCodec create(int maxFrameBytes, String tagField) {
    if (tagField == null || tagField.isEmpty()) {
      throw new IllegalArgumentException("tagField must not be empty");
    }
    return new JsonCodec(maxFrameBytes, tagField);
  }

  @Override
  public Tagging<JsonObject> tagging() {
    return tagging;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Decoder<JsonObject> newDecoder() {
    return new JsonDecoder(framing.newDecoder());
  }

  @Override
  public Encoder<JsonObject> encoder() {
    return ENCODER;
  }

  @Override
  public int maxFrameBytes() {
    return framing.maxFrameBytes();
  }

  /** A length-field decoder whose frames are parsed as JSON objects on the way out. */
  private static final class JsonDecoder implements Decoder<JsonObject> {
    private final Decoder<Buffer> frames;
    private FrameSink<JsonObject> target;
    private boolean stopped;
    private final FrameSink<Buffer> parser = new FrameSink<>() {
      @Override
      public void frame(Buffer text) {
        if (stopped) {
          return;
        }
        JsonObject json;
        try {
          json = text.length() > 0 && firstNonBlank(text) == '{' ? new JsonObject(text) : null;
        } catch (RuntimeException e) {
          json = null;
        }
        if (json != null) {
          target.frame(json);
        } else if (!Chunks.resync(target, new CorruptFrameException("not a JSON object", true))) {
          stopped = true;
        }
      }

      @Override
      public boolean error(FramingException error) {
        return target.error(error);
      }
    };

    JsonDecoder(Decoder<Buffer> frames) {
      this.frames = frames;
    }

    private static byte firstNonBlank(Buffer text) {
      for (int i = 0; i < text.length(); i++) {
        byte b = text.getByte(i);
        if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
          return b;
        }
      }
      return 0;
    }

    @Override
    public void decode(Buffer chunk, FrameSink<JsonObject> sink) {
      if (stopped) {
        return;
      }
      target = sink;
      frames.decode(chunk, parser);
    }

    @Override
    public void finish(FrameSink<JsonObject> sink) {
      if (!stopped) {
        target = sink;
        frames.finish(parser);
      }
    }

    @Override
    public int buffered() {
      return frames.buffered();
    }

    @Override
    public boolean stopped() {
      return stopped || frames.stopped();
    }
  }
}
