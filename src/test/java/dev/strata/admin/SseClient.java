package dev.strata.admin;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** Reads a server-sent event stream in the background; events are kept as (name, JSON data). */
final class SseClient implements AutoCloseable {

  record Event(String name, JsonObject data) {
  }

  final List<Event> events = new CopyOnWriteArrayList<>();
  volatile int status;
  private final CompletableFuture<HttpResponse<Stream<String>>> response;
  private volatile Stream<String> lines;

  SseClient(HttpClient http, String url) {
    response = http.sendAsync(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofLines());
    response.thenAcceptAsync(r -> {
      status = r.statusCode();
      lines = r.body();
      String[] name = {"message"};
      try {
        lines.forEach(line -> {
          if (line.startsWith("event: ")) {
            name[0] = line.substring(7);
          } else if (line.startsWith("data: ")) {
            events.add(new Event(name[0], new JsonObject(line.substring(6))));
          } else if (line.isEmpty()) {
            name[0] = "message";
          }
        });
      } catch (RuntimeException closed) {
        // the stream was closed
      }
    });
  }

  List<Event> named(String name) {
    return events.stream().filter(e -> e.name().equals(name)).toList();
  }

  @Override
  public void close() {
    Stream<String> l = lines;
    if (l != null) {
      l.close();
    }
    response.cancel(true);
  }
}
