package dev.strata.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runtime deployments through a node's admin API ({@code /api/deployments}), from the command line:
 * {@code deployments}, {@code deploy}, {@code scale}, {@code undeploy}. Any member's admin answers for
 * the whole cluster. Exit 0 on success; 1 with the API's error otherwise.
 */
final class DeploymentCommands {

  private DeploymentCommands() {
  }

  /** Where the admin API is and the token for changes. */
  static final class Admin {
    @Option(names = "--admin", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
        description = "A node's admin API (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", defaultValue = "${env:STRATA_ADMIN_TOKEN}", paramLabel = "TOKEN",
        description = "The admin token (default: $STRATA_ADMIN_TOKEN); needed for deploy, scale and undeploy.")
    String token;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Sends the request and prints the answer; returns the exit code. */
    int call(String method, String path, JsonObject body) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
          .timeout(Duration.ofSeconds(60))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body.encode()))
          .header("Content-Type", "application/json");
      if (token != null && !token.isBlank()) {
        b.header("Authorization", "Bearer " + token);
      }
      try {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
          String error = r.body();
          try {
            error = new JsonObject(r.body()).getString("error", r.body());
          } catch (RuntimeException notJson) {
            // keep the body as it came
          }
          System.err.println("strata: " + method + " " + path + ": " + r.statusCode() + " " + error);
          return 1;
        }
        System.out.println(render(new JsonObject(r.body())));
        return 0;
      } catch (IOException e) {
        System.err.println("strata: cannot reach the admin API at " + url + ": " + e.getMessage());
        return 1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
    }

    private static String render(JsonObject answer) {
      JsonArray list = answer.getJsonArray("deployments");
      if (list == null) {
        return answer.encodePrettily();
      }
      StringBuilder out = new StringBuilder(String.format("%-24s %-6s %-40s %9s  %s%n", "ID", "NODE", "VERTICLE",
          "INSTANCES", "SOURCE"));
      for (Object o : list) {
        JsonObject d = (JsonObject) o;
        out.append(String.format("%-24s %-6s %-40s %9d  %s%n", d.getString("id"), d.getString("node"),
            d.getString("verticle", processLine(d)), d.getInteger("instances"), d.getString("source")));
      }
      return out.toString().stripTrailing();
    }

    /** A process application's command and its instances' pid/state/restarts. */
    private static String processLine(JsonObject d) {
      JsonArray command = d.getJsonArray("process");
      if (command == null) {
        return "";
      }
      StringBuilder out = new StringBuilder(String.join(" ", command.stream().map(String::valueOf).toList()));
      JsonArray processes = d.getJsonArray("processes", new JsonArray());
      for (Object o : processes) {
        JsonObject p = (JsonObject) o;
        out.append(String.format(" [pid %s %s, %d restarts]", p.getValue("pid"), p.getString("state"),
            p.getInteger("restarts", 0)));
      }
      return out.toString();
    }
  }

  @Command(name = "deployments", mixinStandardHelpOptions = true,
      description = "List the applications deployed on every member.")
  static final class List implements Callable<Integer> {
    @Mixin
    Admin admin = new Admin();

    @Override
    public Integer call() {
      return admin.call("GET", "/api/deployments", null);
    }
  }

  @Command(name = "deploy", mixinStandardHelpOptions = true,
      description = {"Deploy a verticle class, or a program in another language (--process), on a member (the one "
          + "with the fewest deployments by default).",
          "  strata deploy --process \"python3 verticles/greet.py\" --address app.greet"})
  static final class Deploy implements Callable<Integer> {
    @Mixin
    Admin admin = new Admin();

    @Parameters(index = "0", arity = "0..1", paramLabel = "CLASS",
        description = "The verticle's class, on the node's class path (or give --process).")
    String verticle;

    @Option(names = "--process", paramLabel = "COMMAND",
        description = "A program to run and supervise instead of a class, split at spaces: \"python3 verticles/greet.py\" "
            + "(docs/polyglot.md). Needs --address.")
    String process;

    @Option(names = "--address", description = "The address a --process program answers (app.greet).")
    String address;

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "An environment variable of a --process program (repeatable).")
    java.util.Map<String, String> env;

    @Option(names = "--name", description = "The application's name (default: the class's simple name).")
    String name;

    @Option(names = "--instances", defaultValue = "1", description = "Instances (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--config", paramLabel = "JSON", description = "The verticle's configuration, a JSON object.")
    String config;

    @Option(names = "--node", defaultValue = "any", description = "A member's id (n1, n2...) or 'any' (default).")
    String node;

    @Override
    public Integer call() {
      if ((verticle == null) == (process == null)) {
        System.err.println("strata: deploy needs a verticle CLASS or --process COMMAND (one of them)");
        return 2;
      }
      JsonObject body = new JsonObject().put("instances", instances).put("node", node);
      if (process != null) {
        body.put("process", new JsonArray(java.util.List.of(process.trim().split("\\s+")))).put("address", address);
        if (env != null) {
          body.put("env", new JsonObject(new java.util.HashMap<>(env)));
        }
      } else {
        body.put("verticle", verticle);
      }
      if (name != null) {
        body.put("name", name);
      }
      if (config != null) {
        try {
          body.put("config", new JsonObject(config));
        } catch (RuntimeException e) {
          System.err.println("strata: --config is not a JSON object: " + e.getMessage());
          return 2;
        }
      }
      return admin.call("POST", "/api/deployments", body);
    }
  }

  @Command(name = "scale", mixinStandardHelpOptions = true, description = "Run another number of instances of a deployment.")
  static final class Scale implements Callable<Integer> {
    @Mixin
    Admin admin = new Admin();

    @Parameters(index = "0", paramLabel = "ID", description = "The deployment's id (see 'deployments').")
    String id;

    @Parameters(index = "1", paramLabel = "INSTANCES")
    int instances;

    @Override
    public Integer call() {
      return admin.call("PATCH", "/api/deployments/" + id, new JsonObject().put("instances", instances));
    }
  }

  @Command(name = "undeploy", mixinStandardHelpOptions = true, description = "Undeploy a deployment.")
  static final class Undeploy implements Callable<Integer> {
    @Mixin
    Admin admin = new Admin();

    @Parameters(index = "0", paramLabel = "ID", description = "The deployment's id (see 'deployments').")
    String id;

    @Override
    public Integer call() {
      return admin.call("DELETE", "/api/deployments/" + id, null);
    }
  }
}
