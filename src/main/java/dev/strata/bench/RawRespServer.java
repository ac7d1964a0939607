package dev.strata.bench;

import dev.strata.framing.Decoder;
import dev.strata.framing.Encoder;
import dev.strata.framing.RespCodec;
import dev.strata.framing.RespError;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The baseline for docs/benchmarks.md: a minimal RESP responder on bare Vert.x — the same RESP codec,
 * a shared map, replies of one read coalesced into one write — with no registry, no exchange, no event
 * bus and no application layer. Comparing Strata's kv listener with it shows what Strata's layers cost.
 *
 * <pre>java -cp target/strata.jar dev.strata.bench.RawRespServer 6390</pre>
 */
public final class RawRespServer extends VerticleBase {

  private static final ConcurrentHashMap<String, Buffer> STORE = new ConcurrentHashMap<>();
  private final int port;

  RawRespServer(int port) {
    this.port = port;
  }

  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 6390;
    Vertx vertx = Vertx.vertx();
    int n = Runtime.getRuntime().availableProcessors();
    vertx.deployVerticle(() -> new RawRespServer(port), new DeploymentOptions().setInstances(n)).await();
    System.out.println("raw RESP responder on 127.0.0.1:" + port + " (" + n + " instances)");
  }

  @Override
  public Future<?> start() {
    RespCodec codec = RespCodec.create();
    Encoder<Object> encoder = codec.encoder();
    return vertx.createNetServer().connectHandler(socket -> {
      Decoder<Object> decoder = codec.newDecoder();
      socket.handler(chunk -> {
        Buffer out = Buffer.buffer(64);
        decoder.decode(chunk, frame -> encoder.encode(answer(frame), out));
        if (out.length() > 0) {
          socket.write(out);
        }
      });
    }).listen(port, "127.0.0.1");
  }

  private static Object answer(Object frame) {
    if (!(frame instanceof JsonArray a) || a.isEmpty()) {
      return new RespError("ERR bad request");
    }
    List<?> args = a.getList();
    String cmd = ((Buffer) args.get(0)).toString(StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    return switch (cmd) {
      case "ping" -> "PONG";
      case "echo" -> args.get(1);
      case "set" -> {
        STORE.put(((Buffer) args.get(1)).toString(StandardCharsets.UTF_8), (Buffer) args.get(2));
        yield "OK";
      }
      case "get" -> STORE.get(((Buffer) args.get(1)).toString(StandardCharsets.UTF_8));
      case "config" -> new JsonArray();
      default -> new RespError("ERR unknown command '" + cmd + "'");
    };
  }
}
