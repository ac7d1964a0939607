package dev.strata.cli;

import dev.strata.bench.BenchOptions;
import dev.strata.bench.BenchReport;
import dev.strata.bench.LoadGenerator;
import dev.strata.bench.RequestFactory;
import dev.strata.framing.Codecs;
import dev.strata.framing.FrameCodec;
import dev.strata.framing.JsonCodec;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata bench}: a load generator for any codec, with latency percentiles. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Load a listener with pipelined requests and report throughput and latency percentiles.",
        "Examples:",
        "  strata bench -p 7070 --codec lines -c 50 -P 16 -d 10s",
        "  strata bench -p 6380 --codec resp --request 'SET key:{rand} {payload}' --rate 20000 -d 20s",
        "  strata bench -p 7000 --codec bridge --payload 8 -c 50 -P 16   (send to app.echo through the event-bus bridge)"})
final class BenchCommand implements Callable<Integer> {

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = {"-p", "--port"}, required = true, description = "Server port.")
  int port;

  @Option(names = "--codec", defaultValue = "lines",
      description = "Codec of the listener, or 'bridge' for an event-bus bridge (default: ${DEFAULT-VALUE}).")
  String codec;

  @Option(names = {"-c", "--connections"}, defaultValue = "50", description = "Connections (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = {"-P", "--pipeline"}, defaultValue = "1",
      description = "Requests outstanding per connection (default: ${DEFAULT-VALUE}).")
  int pipeline;

  @Option(names = {"-d", "--duration"}, defaultValue = "10s", description = "Measured duration (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = {"-n", "--requests"}, defaultValue = "0", description = "Total requests instead of a duration.")
  long requests;

  @Option(names = "--payload", defaultValue = "16", description = "Bytes of {payload} (default: ${DEFAULT-VALUE}).")
  int payload;

  @Option(names = {"-r", "--rate"}, defaultValue = "0",
      description = "Fixed total rate in requests/s; latency is then measured from the intended send time (default: closed loop).")
  long rate;

  @Option(names = "--request", description = "Request template: {payload}, {rand} (key below --keyspace), {n}. "
      + "Default: '{payload}' for lines, 'PING' for resp, a send to app.echo with body {\"k\":\"{payload}\"} for bridge.")
  String template;

  @Option(names = "--keyspace", defaultValue = "100000", description = "Range of {rand} (default: ${DEFAULT-VALUE}).")
  int keyspace;

  @Option(names = "--warmup", defaultValue = "2s", description = "Unmeasured warm-up (default: ${DEFAULT-VALUE}).")
  String warmup;

  @Option(names = "--tls", description = "Connect with TLS, accepting any server certificate (measures TLS's cost).")
  boolean tls;

  @Override
  public Integer call() throws Exception {
    FrameCodec<?> c;
    BenchOptions o;
    try {
      c = codec.equals(RequestFactory.BRIDGE) ? JsonCodec.create() : Codecs.create(codec, null, Map.of());
      o = new BenchOptions(host, port, codec, connections, pipeline, parse(duration), requests, payload, rate,
          template == null ? RequestFactory.defaultTemplate(codec) : template, keyspace, parse(warmup), tls);
    } catch (IllegalArgumentException e) {
      System.err.println("strata bench: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      BenchReport r = LoadGenerator.runBlocking(vertx, o, c, System.err);
      r.print(System.out);
      return 0;
    } catch (Exception e) {
      System.err.println("strata bench: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
      return 1;
    } finally {
      vertx.close().await();
    }
  }

  private static Duration parse(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 500ms, 10s or 1m");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
  }
}
