package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.BridgeClient;
import dev.strata.support.ChildNode;
import dev.strata.support.LineClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Process applications end to end: a real node (its own JVM, started as users start it) runs
 * verticles/greet.py (Python) and verticles/upper.mjs (Node.js) as supervised child processes; lines
 * and RESP clients get their answers, failures, headers, restarts, undeploy and the log are checked
 * from outside, over sockets and the admin API.
 */
class ProcessAppsTest {

  private static final String TOKEN = "process-test-token";
  /** The children get it as STRATA_BRIDGE_TOKEN: without it every request below would be refused. */
  static final String BRIDGE_TOKEN = "bridge-secret";
  private static ChildNode node;
  private static int greetLines;
  private static int greetResp;
  private static int upperLines;
  private static int upperResp;
  private static int bridge;

  static String yaml(int greetLines, int greetResp, int upperLines, int upperResp, int bridge) {
    return """
        listeners:
          - {name: greet, port: %d, codec: lines, address: app.greet, instances: 1}
          - {name: greet-resp, port: %d, codec: resp, address: app.greet, instances: 1}
          - {name: upper, port: %d, codec: lines, address: app.upper, instances: 1}
          - {name: upper-resp, port: %d, codec: resp, address: app.upper, instances: 1}
        apps:
          - name: greet
            process: [python3, verticles/greet.py]
            address: app.greet
            restart: {initial: 100ms, max: 1s}
          - name: upper
            process: [node, verticles/upper.mjs]
            address: app.upper
        bridge:
          port: %d
          token: %s
        """.formatted(greetLines, greetResp, upperLines, upperResp, bridge, BRIDGE_TOKEN);
  }

  @BeforeAll
  static void start() {
    greetLines = ChildNode.freePort();
    greetResp = ChildNode.freePort();
    upperLines = ChildNode.freePort();
    upperResp = ChildNode.freePort();
    bridge = ChildNode.freePort();
    node = ChildNode.start("process-apps", yaml(greetLines, greetResp, upperLines, upperResp, bridge),
        List.of("-Xmx256m", "-Dstrata.admin.token=" + TOKEN));
    awaitRunning(node, "n0-greet");
    awaitRunning(node, "n0-upper");
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  static JsonObject deployment(ChildNode node, String id) {
    JsonArray all = node.get("/api/deployments").getJsonArray("deployments");
    for (int i = 0; i < all.size(); i++) {
      if (id.equals(all.getJsonObject(i).getString("id"))) {
        return all.getJsonObject(i);
      }
    }
    return null;
  }

  static JsonObject instance(ChildNode node, String id) {
    JsonObject d = deployment(node, id);
    return d == null ? null : d.getJsonArray("processes").getJsonObject(0);
  }

  static long awaitRunning(ChildNode node, String id) {
    await(id + " running").atMost(Duration.ofSeconds(30)).until(() -> {
      JsonObject i = instance(node, id);
      return i != null && "running".equals(i.getString("state"));
    });
    return instance(node, id).getLong("pid");
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static Object call(Jedis jedis, String... args) {
    ProtocolCommand cmd = () -> SafeEncoder.encode(args[0]);
    Object r = jedis.sendCommand(cmd, java.util.Arrays.copyOfRange(args, 1, args.length));
    return r instanceof byte[] b ? SafeEncoder.encode(b) : r;
  }

  @Test
  void pythonAndNodeAppsAnswerLinesClients() throws Exception {
    try (LineClient greet = new LineClient(greetLines); LineClient upper = new LineClient(upperLines)) {
      assertThat(greet.request("ada")).isEqualTo("hello, ada");
      assertThat(greet.request("grace hopper")).isEqualTo("hello, grace hopper");
      assertThat(upper.request("hi there")).isEqualTo("HI THERE");
    }
  }

  @Test
  void pythonAndNodeAppsAnswerRespClients() {
    try (Jedis greet = new Jedis("127.0.0.1", greetResp); Jedis upper = new Jedis("127.0.0.1", upperResp)) {
      assertThat(call(greet, "GREET", "ada")).isEqualTo("hello, ada");
      assertThat(call(upper, "UPPER", "hi")).isEqualTo("HI");
    }
  }

  @Test
  void handlerFailureBecomesAnErrorReply() throws Exception {
    try (Jedis greet = new Jedis("127.0.0.1", greetResp); Jedis upper = new Jedis("127.0.0.1", upperResp)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> call(greet, "GREET"))
          .isInstanceOf(JedisDataException.class).hasMessage("ERR a name is required");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> call(greet, "FROB"))
          .isInstanceOf(JedisDataException.class).hasMessage("ERR unknown command 'FROB'; try GREET <name>");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> call(upper, "UPPER"))
          .isInstanceOf(JedisDataException.class).hasMessage("ERR a text is required");
      assertThat(call(greet, "GREET", "ada")).isEqualTo("hello, ada"); // the connection and the app go on
    }
    try (LineClient upper = new LineClient(upperLines)) {
      assertThat(upper.request("   ")).isEqualTo("-ERR a text is required");
    }
  }

  @Test
  void headersTravelBothWays() throws Exception {
    try (BridgeClient c = new BridgeClient(bridge)) {
      c.send(BridgeClient.request("app.greet", "ada", "r1")
          .put("headers", new JsonObject().put("lang", "fr").put("token", BRIDGE_TOKEN)));
      JsonObject reply = c.next();
      assertThat(reply.getString("body")).isEqualTo("bonjour, ada");
      assertThat(reply.getJsonObject("headers").getString("greeted")).isEqualTo("ada");
      c.send(BridgeClient.request("app.upper", "hi", "r2").put("headers", new JsonObject().put("suffix", "!")));
      reply = c.next();
      assertThat(reply.getString("body")).isEqualTo("HI!");
      assertThat(reply.getJsonObject("headers").getString("length")).isEqualTo("2");
    }
  }

  @Test
  void outputLinesAppearInTheNodesLogWithTheAppsName() {
    long pid = awaitRunning(node, "n0-greet");
    await().atMost(Duration.ofSeconds(10)).until(() -> node.logged("[greet#0] greet.py pid " + pid + " serving app.greet"));
    long upperPid = awaitRunning(node, "n0-upper");
    await().atMost(Duration.ofSeconds(10))
        .until(() -> node.logged("[upper#0] upper.mjs pid " + upperPid + " serving app.upper"));
  }

  @Test
  void requestsAreCountedPerProcess() throws Exception {
    long before = instance(node, "n0-greet").getLong("requests");
    try (LineClient greet = new LineClient(greetLines)) {
      for (int i = 0; i < 20; i++) {
        assertThat(greet.request("n" + i)).isEqualTo("hello, n" + i);
      }
    }
    assertThat(instance(node, "n0-greet").getLong("requests")).isGreaterThanOrEqualTo(before + 20);
  }

  @Test
  void aCrashedProcessIsRestartedCountedAndServesAgain() throws Exception {
    long pid = awaitRunning(node, "n0-greet");
    int restarts = instance(node, "n0-greet").getInteger("restarts");
    ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // kill -9: a crash
    await("restarted").atMost(Duration.ofSeconds(30)).until(() -> {
      JsonObject i = instance(node, "n0-greet");
      return i.getInteger("restarts") == restarts + 1 && "running".equals(i.getString("state"))
          && i.getLong("pid") != pid;
    });
    assertThat(instance(node, "n0-greet").getString("lastExit")).startsWith("exit code 137");
    assertThat(node.logged("application greet#0 (pid " + pid + ") exited: exit code 137")).isTrue();
    try (LineClient greet = new LineClient(greetLines)) {
      assertThat(greet.request("again")).isEqualTo("hello, again");
    }
  }

  @Test
  void theLibrariesReconnectWhenTheirBridgeConnectionIsCutWhileTheNodeRuns() throws Exception {
    long greetPid = awaitRunning(node, "n0-greet");
    long upperPid = awaitRunning(node, "n0-upper");
    JsonArray bridged = node.get("/api/connections?listener=bridge").getJsonArray("connections");
    assertThat(bridged).as("the two children's bridge connections").hasSizeGreaterThanOrEqualTo(2);
    for (int i = 0; i < bridged.size(); i++) {
      long id = bridged.getJsonObject(i).getLong("id");
      assertThat(admin("DELETE", "/api/connections/" + id, null).statusCode()).isEqualTo(200);
    }
    try (LineClient greet = new LineClient(greetLines); LineClient upper = new LineClient(upperLines)) {
      await("both serve again over new bridge connections").atMost(Duration.ofSeconds(30)).until(() ->
          "hello, back".equals(greet.request("back")) && "BACK".equals(upper.request("back")));
    }
    assertThat(instance(node, "n0-greet").getLong("pid")).as("the same process, not a restart").isEqualTo(greetPid);
    assertThat(instance(node, "n0-upper").getLong("pid")).isEqualTo(upperPid);
    JsonArray now = node.get("/api/connections?listener=bridge").getJsonArray("connections");
    assertThat(now.stream().map(c -> ((JsonObject) c).getLong("id")))
        .doesNotContainAnyElementsOf(bridged.stream().map(c -> ((JsonObject) c).getLong("id")).toList());
  }

  @Test
  void aMissingProgramIsAClearErrorAndTheNodeStaysUp() throws Exception {
    HttpResponse<String> r = admin("POST", "/api/deployments", new JsonObject()
        .put("name", "ghost").put("process", new JsonArray().add("no-such-program-strata").add("x.py"))
        .put("address", "app.ghost"));
    assertThat(r.statusCode()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(10)).until(() -> "failed".equals(instance(node, "n0-ghost").getString("state")));
    assertThat(instance(node, "n0-ghost").getString("error"))
        .startsWith("cannot start 'no-such-program-strata x.py': Cannot run program \"no-such-program-strata\"");
    assertThat(node.logged("application ghost#0: cannot start 'no-such-program-strata x.py'")).isTrue();
    assertThat(node.isAlive()).isTrue();
    try (BridgeClient c = new BridgeClient(bridge)) { // its address answers with the reason, at once
      c.send(BridgeClient.request("app.ghost", "x", "r1").put("headers", new JsonObject().put("token", BRIDGE_TOKEN)));
      assertThat(c.next().getString("message")).contains("ghost#0 is not serving: its process is failed");
    }
    try (LineClient greet = new LineClient(greetLines)) {
      assertThat(greet.request("still")).isEqualTo("hello, still");
    }
    assertThat(admin("DELETE", "/api/deployments/n0-ghost", null).statusCode()).isEqualTo(200);
  }

  @Test
  void undeploySendsSigtermAndTheProcessIsGone() throws Exception {
    HttpResponse<String> r = admin("POST", "/api/deployments", new JsonObject().put("name", "upper2")
        .put("process", new JsonArray().add("node").add("verticles/upper.mjs")).put("address", "app.upper"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    long pid = awaitRunning(node, "n0-upper2");
    assertThat(admin("DELETE", "/api/deployments/n0-upper2", null).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> !alive(pid));
    assertThat(node.logged("application upper2#0 (pid " + pid + ") stopped: exit code 143")).isTrue(); // SIGTERM
    assertThat(deployment(node, "n0-upper2")).isNull();
  }

  @Test
  void aProgramThatIgnoresSigtermIsKilledAfterStopTimeout() throws Exception {
    HttpResponse<String> r = admin("POST", "/api/deployments", new JsonObject().put("name", "stubborn")
        .put("process", new JsonArray().add("python3").add("-c")
            .add("import os, signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                + "print('ignoring SIGTERM', *(os.environ.get(k) for k in ['NOTE', 'STRATA_APP', 'STRATA_ADDRESS', "
                + "'STRATA_BRIDGE_PORT', 'STRATA_BRIDGE_TOKEN']))\ntime.sleep(600)"))
        .put("address", "app.stubborn").put("stopTimeout", "300ms").put("env", new JsonObject().put("NOTE", "noted")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    // env, and what Strata tells every child, reach it; its output reaches the log (unbuffered: PYTHONUNBUFFERED)
    await().atMost(Duration.ofSeconds(10)).until(() -> node.logged("[stubborn#0] ignoring SIGTERM noted stubborn app.stubborn "
        + bridge + " " + BRIDGE_TOKEN));
    long pid = instance(node, "n0-stubborn").getLong("pid");
    assertThat(admin("DELETE", "/api/deployments/n0-stubborn", null).statusCode()).isEqualTo(200);
    assertThat(alive(pid)).isFalse();
    assertThat(node.logged("application stubborn#0 (pid " + pid + ") still runs 300 ms after SIGTERM: SIGKILL")).isTrue();
    assertThat(node.logged("application stubborn#0 (pid " + pid + ") stopped: exit code 137")).isTrue();
  }

  @Test
  void theCommandLineDeploysScalesAndUndeploysAProcess() throws Exception {
    String url = "http://127.0.0.1:" + node.adminPort();
    picocli.CommandLine cli = new picocli.CommandLine(new dev.strata.cli.Main());
    assertThat(cli.execute("deploy", "--process", "node verticles/upper.mjs", "--address", "app.upper", "--name", "upper3",
        "--env", "UPPER_NOTE=cli", "--admin", url, "--token", TOKEN)).isZero();
    long first = awaitRunning(node, "n0-upper3");
    assertThat(cli.execute("scale", "n0-upper3", "2", "--admin", url, "--token", TOKEN)).isZero();
    await("two processes running").atMost(Duration.ofSeconds(30)).until(() -> {
      JsonArray ps = deployment(node, "n0-upper3").getJsonArray("processes");
      return ps.size() == 2 && ps.stream().allMatch(p -> "running".equals(((JsonObject) p).getString("state")));
    });
    JsonArray ps = deployment(node, "n0-upper3").getJsonArray("processes");
    List<Long> pids = List.of(ps.getJsonObject(0).getLong("pid"), ps.getJsonObject(1).getLong("pid"));
    assertThat(pids).doesNotContain(first).doesNotHaveDuplicates();
    await("the process of before scaling gone").atMost(Duration.ofSeconds(10)).until(() -> !alive(first));
    assertThat(cli.execute("deployments", "--admin", url)).isZero();
    assertThat(cli.execute("deploy", "--admin", url, "--token", TOKEN)).isEqualTo(2); // neither class nor --process
    assertThat(cli.execute("undeploy", "n0-upper3", "--admin", url, "--token", TOKEN)).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> pids.stream().noneMatch(ProcessAppsTest::alive));
  }

  private static HttpResponse<String> admin(String method, String path, JsonObject body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
