package dev.strata.process;

import dev.strata.exchange.Endpoint;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One instance of a process application: runs its child process, restarts it when it crashes (after
 * {@code initial} ms, doubling up to {@code max}; back to {@code initial} once it ran 10 s), copies
 * its output into the node's log, and serves the application's address by forwarding each request to
 * the child's private address ({@code STRATA_INSTANCE_ADDRESS}), which the child registers through the
 * bridge. Stopping sends SIGTERM, then SIGKILL after {@code stopTimeout}.
 *
 * <p>Nothing here blocks the event loop: the process starts in {@code executeBlocking}, its output is
 * read on two daemon threads ({@link OutputPump}), its exit arrives through {@link Process#onExit()}.
 *
 * <p>Bodies on the way to the child are JSON: a RESP command (a list of byte strings) becomes a list
 * of UTF-8 strings, any other bytes a UTF-8 string (bytes that are not UTF-8 are replaced), so that a
 * Python or Node handler sees {@code ["GREET", "ada"]}, not base64.
 */
public final class ProcessVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(ProcessVerticle.class.getName());
  /** Makes every instance's private address unique in the node, across scaling too. */
  private static final AtomicLong SEQ = new AtomicLong();

  private final ProcessOptions options;
  private final ProcessGroup group;
  private final int index;
  private final String label;
  private final String instanceAddress;

  private Context ctx;
  private volatile Process process;
  private volatile ProcessState state = ProcessState.STARTING;
  private volatile int restarts;
  private volatile long requests;
  private volatile long requestsPerSecond;
  private volatile String lastExit;
  private volatile String error;
  private volatile long startedAt;
  private long lastCount;
  /** Crashes in a row, each soon after its start: the next delay is initial * 2^crashes. */
  private int crashes;
  private long restartTimer = -1;
  private boolean stopping;

  public ProcessVerticle(ProcessOptions options, ProcessGroup group) {
    this.options = options;
    this.group = group;
    synchronized (group) {
      this.index = group.next();
      group.add(this);
    }
    this.label = options.name() + "#" + index;
    this.instanceAddress = options.address() + "." + options.id() + "." + SEQ.incrementAndGet();
  }

  @Override
  public Future<?> start() {
    ctx = context;
    vertx.setPeriodic(1_000, t -> {
      long n = requests;
      requestsPerSecond = n - lastCount;
      lastCount = n;
    });
    Future<?> ready = vertx.eventBus().<Object>consumer(instanceAddress + ".ready", this::ready).completion();
    Future<Endpoint> served = Endpoint.serve(vertx, options.address(), this::forward);
    return Future.all(ready, served).onSuccess(v -> spawn());
  }

  /** The child registered its address through the bridge: it serves from now on. */
  private void ready(Message<Object> m) {
    Process p = process;
    if (p != null && p.isAlive() && !stopping) {
      state = ProcessState.RUNNING;
      LOG.log(System.Logger.Level.INFO, "application {0} (pid {1}) serves {2}", label, String.valueOf(p.pid()),
          options.address());
    }
  }

  private void spawn() {
    state = ProcessState.STARTING;
    ProcessBuilder pb = new ProcessBuilder(options.command());
    Map<String, String> env = pb.environment();
    env.putAll(options.env());
    env.put("STRATA_APP", options.name());
    env.put("STRATA_INSTANCE", Integer.toString(index));
    env.put("STRATA_ADDRESS", options.address());
    env.put("STRATA_INSTANCE_ADDRESS", instanceAddress);
    env.put("STRATA_BRIDGE_HOST", options.bridgeHost());
    env.put("STRATA_BRIDGE_PORT", Integer.toString(options.bridgePort()));
    env.put("STRATA_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
    if (options.bridgeToken() != null) {
      env.put("STRATA_BRIDGE_TOKEN", options.bridgeToken());
    } else {
      env.remove("STRATA_BRIDGE_TOKEN");
    }
    // a pipe is not a terminal: without this Python holds its prints back until 8 KiB have gathered
    env.putIfAbsent("PYTHONUNBUFFERED", "1");
    // stdin stays an open pipe that nobody writes: the child reads end-of-file when this JVM is gone
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    vertx.executeBlocking(pb::start, false).onComplete(ar -> {
      if (ar.failed()) {
        state = ProcessState.FAILED;
        error = "cannot start '" + options.commandLine() + "': " + message(ar.cause());
        LOG.log(System.Logger.Level.ERROR, "application {0}: {1}; it stays failed until redeployed "
            + "(install the program, or fix apps[].process)", label, error);
        return;
      }
      Process p = ar.result();
      if (stopping) {
        p.destroy();
        return;
      }
      process = p;
      error = null;
      startedAt = System.currentTimeMillis();
      LOG.log(System.Logger.Level.INFO, "application {0}: started pid {1}: {2}", label, String.valueOf(p.pid()),
          options.commandLine());
      OutputPump.start("strata-" + label + "-out", p.getInputStream(),
          line -> LOG.log(System.Logger.Level.INFO, "[" + label + "] " + line));
      OutputPump.start("strata-" + label + "-err", p.getErrorStream(),
          line -> LOG.log(System.Logger.Level.WARNING, "[" + label + "] " + line));
      p.onExit().thenAccept(done -> ctx.runOnContext(v -> exited(done)));
    });
  }

  private static String message(Throwable t) {
    // "Cannot run program "python3": error=2, No such file or directory" says it all
    return t instanceof IOException && t.getMessage() != null ? t.getMessage() : String.valueOf(t);
  }

  private void exited(Process p) {
    if (p != process) {
      return;
    }
    long ran = System.currentTimeMillis() - startedAt;
    lastExit = "exit code " + p.exitValue() + " after " + ran + " ms";
    if (stopping) {
      state = ProcessState.STOPPED;
      return;
    }
    if (ran >= ProcessOptions.RESET_AFTER_MS) {
      crashes = 0;
    }
    long delay = Math.min(options.restartMaxMs(), options.restartInitialMs() << Math.min(crashes, 30));
    crashes++;
    restarts++;
    state = ProcessState.BACKOFF;
    LOG.log(System.Logger.Level.WARNING, "application {0} (pid {1}) exited: {2}; restart {3} in {4} ms", label,
        String.valueOf(p.pid()), lastExit, String.valueOf(restarts), String.valueOf(delay));
    restartTimer = vertx.setTimer(delay, t -> {
      restartTimer = -1;
      if (!stopping) {
        spawn();
      }
    });
  }

  /** A request to the application: to this instance's child, or failed at once when it is not serving. */
  private void forward(Message<Object> msg) {
    Process p = process;
    if (state != ProcessState.RUNNING || p == null) {
      msg.fail(503, "application " + label + " is not serving: its process is " + state.name().toLowerCase()
          + (error != null ? " (" + error + ")" : lastExit != null ? " (last " + lastExit + ")" : ""));
      return;
    }
    DeliveryOptions o = new DeliveryOptions().setHeaders(msg.headers()).setLocalOnly(true);
    vertx.eventBus().request(instanceAddress, json(msg.body()), o).onComplete(ar -> {
      requests++;
      if (ar.succeeded()) {
        Message<Object> reply = ar.result();
        msg.reply(reply.body(), new DeliveryOptions().setHeaders(reply.headers()));
      } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        msg.fail(re.failureCode(), re.getMessage());
      } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
        msg.fail(503, "application " + label + " (pid " + p.pid() + ") is not serving: its bridge connection is gone");
      } else {
        msg.fail(500, "application " + label + " (pid " + p.pid() + "): " + ar.cause().getMessage());
      }
    });
  }

  /** A body as JSON for the child: bytes as UTF-8 text, lists of them as lists of text. */
  static Object json(Object body) {
    if (body instanceof Buffer b) {
      return b.toString(StandardCharsets.UTF_8);
    }
    if (body instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (body instanceof JsonObject || body instanceof JsonArray) {
      return body;
    }
    if (body instanceof List<?> list) {
      JsonArray out = new JsonArray();
      list.forEach(e -> out.add(json(e)));
      return out;
    }
    return body;
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (restartTimer >= 0) {
      vertx.cancelTimer(restartTimer);
    }
    Process p = process;
    if (p == null || !p.isAlive()) {
      if (state != ProcessState.FAILED) {
        state = ProcessState.STOPPED;
      }
      return Future.succeededFuture();
    }
    Promise<Void> gone = Promise.promise();
    p.onExit().thenAccept(done -> ctx.runOnContext(v -> {
      state = ProcessState.STOPPED;
      // 143 = 128 + SIGTERM: it left when asked; 137 = 128 + SIGKILL: it had to be killed
      LOG.log(System.Logger.Level.INFO, "application {0} (pid {1}) stopped: exit code {2}", label,
          String.valueOf(p.pid()), String.valueOf(done.exitValue()));
      gone.tryComplete();
    }));
    p.destroy(); // SIGTERM: the client libraries exit at once; a program may finish what it has first
    vertx.setTimer(options.stopTimeoutMs(), t -> {
      if (p.isAlive()) {
        LOG.log(System.Logger.Level.WARNING, "application {0} (pid {1}) still runs {2} ms after SIGTERM: SIGKILL",
            label, String.valueOf(p.pid()), String.valueOf(options.stopTimeoutMs()));
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    });
    return gone.future();
  }

  /** This instance for the admin API. */
  public JsonObject status() {
    Process p = process;
    JsonObject out = new JsonObject().put("index", index).put("pid", p == null ? null : p.pid())
        .put("state", state.name().toLowerCase()).put("restarts", restarts).put("requests", requests)
        .put("requestsPerSecond", requestsPerSecond).put("startedAt", startedAt == 0 ? null : startedAt);
    if (lastExit != null) {
      out.put("lastExit", lastExit);
    }
    if (error != null) {
      out.put("error", error);
    }
    return out;
  }

  public ProcessState state() {
    return state;
  }
}
