package dev.strata.bench;

import dev.strata.framing.Encoder;
import dev.strata.framing.FrameCodec;
import dev.strata.framing.Resp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;

/** Builds request bytes from the template with the listener's own encoder. */
public final class RequestFactory {

  private final String template;
  private final String payload;
  private final int keyspace;
  private final Encoder<Object> encoder;
  private final String codec;
  private final boolean constant;
  private final Buffer fixed;

  @SuppressWarnings("unchecked")
  RequestFactory(FrameCodec<?> codec, BenchOptions o) {
    this.template = o.template();
    this.payload = "x".repeat(o.payload());
    this.keyspace = o.keyspace();
    this.encoder = (Encoder<Object>) codec.encoder();
    this.codec = o.codec();
    this.constant = !template.contains("{rand}") && !template.contains("{n}");
    this.fixed = constant ? build(0) : null;
  }

  /** The bytes of request number n. */
  Buffer request(long n) {
    return constant ? fixed : build(n);
  }

  private Buffer build(long n) {
    String text = template.replace("{payload}", payload);
    if (text.contains("{rand}")) {
      text = text.replace("{rand}", Integer.toString(ThreadLocalRandom.current().nextInt(keyspace)));
    }
    text = text.replace("{n}", Long.toString(n));
    Object frame = switch (codec) {
      case "resp" -> Resp.command(text.split(" "));
      case "json" -> new JsonObject().put("request", text);
      case BRIDGE -> new JsonObject(text); // the template is the whole bridge frame
      default -> Buffer.buffer(text);
    };
    Buffer out = Buffer.buffer();
    encoder.encode(frame, out);
    return out;
  }

  public static String defaultTemplate(String codec) {
    return switch (codec) {
      case "resp" -> "PING";
      case BRIDGE -> "{\"type\":\"send\",\"address\":\"app.echo\",\"replyAddress\":\"bench\",\"body\":{\"k\":\"{payload}\"}}";
      default -> "{payload}";
    };
  }

  /**
   * Not a listener codec: a Vert.x TCP event-bus bridge (Strata's or Vert.x's), framed as {@code json}, with
   * a request template that is the whole frame, by default a {@code send} to {@code app.echo} expecting a reply.
   */
  public static final String BRIDGE = "bridge";
}
