package dev.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.ChildNode;
import dev.strata.support.LineClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A member that is {@code kill -9}ed while it holds requests: three member processes (a listener on
 * the front member; the application, which holds each request 100 ms, on members b and c), pipelined
 * load on several connections, b killed mid-load. Every request is answered exactly once and in order,
 * those b held with {@code -ERR app.held: member n<number> left} as soon as Hazelcast drops b (far sooner than
 * the 30 s request timeout), and the connections b served go on with c.
 */
class MemberLeftTest {

  private static final int CONNECTIONS = 8;
  private static final int PIPELINE = 8;

  @Test
  void requestsHeldByAKilledMemberFailAtOnceAndTheRestGoToTheSurvivor() throws Exception {
    String cluster = "cluster:\n  name: left-" + UUID.randomUUID() + "\n  port: " + (6200 + (int) (Math.random() * 600)) + "\n";
    int port = ChildNode.freePort();
    String app = """
        apps:
          - {name: held, verticle: dev.strata.cluster.HeldEchoVerticle, config: {address: app.held, member: %s, holdMs: 100}}
        """;
    try (ChildNode front = ChildNode.start("left-front", """
            listeners:
              - {name: lines, host: 127.0.0.1, port: %d, codec: lines, address: app.held, requestTimeout: 30s}
            """.formatted(port) + cluster, List.of("-Xmx256m"), List.of("--cluster"));
        ChildNode b = ChildNode.start("left-b", app.formatted("b") + cluster, List.of("-Xmx256m"), List.of("--cluster"));
        ChildNode c = ChildNode.start("left-c", app.formatted("c") + cluster, List.of("-Xmx256m"), List.of("--cluster"))) {
      // each connection's reads go to one member: find connections on each (routes learned by then)
      List<LineClient> clients = new ArrayList<>();
      Map<LineClient, String> servedBy = new ConcurrentHashMap<>();
      await("connections served by b and by c").atMost(Duration.ofSeconds(60)).until(() -> {
        LineClient client = new LineClient(port);
        String first = client.request("hello");
        if (first == null || !first.endsWith(":hello")) {
          client.close();
          return false;
        }
        clients.add(client);
        servedBy.put(client, first.substring(0, 1));
        return clients.size() >= CONNECTIONS && servedBy.containsValue("b") && servedBy.containsValue("c");
      });

      AtomicBoolean killed = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong slowestMs = new AtomicLong();
      AtomicLong leftErrors = new AtomicLong();
      AtomicLong byCAfterKill = new AtomicLong();
      List<String> wrong = new CopyOnWriteArrayList<>();
      List<Thread> load = new ArrayList<>();
      for (int n = 0; n < clients.size(); n++) {
        LineClient client = clients.get(n);
        boolean onB = servedBy.get(client).equals("b");
        int conn = n;
        Thread t = new Thread(() -> {
          long seq = 0;
          try {
            while (!stop.get()) {
              boolean afterKill = killed.get();
              StringBuilder batch = new StringBuilder();
              for (int i = 0; i < PIPELINE; i++) {
                batch.append("r").append(conn).append('-').append(seq + i).append('\n');
              }
              long sent = System.nanoTime();
              client.send(batch.toString());
              for (int i = 0; i < PIPELINE; i++) {
                String reply = client.readLine(); // 10 s read timeout: a lost answer fails the test
                String expected = "r" + conn + "-" + (seq + i);
                if (reply != null && reply.matches("-ERR app\\.held: member n\\d+ left")) { // the lines codec's error form
                  leftErrors.incrementAndGet();
                } else if (reply == null || !reply.endsWith(":" + expected)) {
                  wrong.add(expected + " answered " + reply);
                } else if (onB && afterKill && reply.startsWith("c:")) {
                  byCAfterKill.incrementAndGet();
                }
                slowestMs.accumulateAndGet((System.nanoTime() - sent) / 1_000_000, Math::max);
              }
              seq += PIPELINE;
            }
          } catch (Exception e) {
            wrong.add("connection " + conn + ": " + e);
          }
        });
        t.start();
        load.add(t);
      }
      await("load running").atMost(Duration.ofSeconds(30)).until(() -> slowestMs.get() > 0);
      b.kill();
      killed.set(true);
      long killedAt = System.nanoTime();
      await("b's connections served by c").atMost(Duration.ofSeconds(30)).until(() -> byCAfterKill.get() >= 50 || !wrong.isEmpty());
      stop.set(true);
      for (Thread t : load) {
        t.join(20_000);
      }
      for (LineClient client : clients) {
        client.close();
      }
      System.out.printf("member left: %d requests failed with member-left, slowest answer %d ms, c took over %d ms after kill -9%n",
          leftErrors.get(), slowestMs.get(), (System.nanoTime() - killedAt) / 1_000_000);
      assertThat(wrong).as(front.logTail()).isEmpty();
      assertThat(leftErrors.get()).as("requests b held, failed with member-left").isPositive();
      assertThat(slowestMs.get()).as("slowest answer, ms (request timeout 30 s)").isLessThan(3_000);
      assertThat(c.isAlive()).isTrue();
    }
  }
}
