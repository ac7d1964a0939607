package dev.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.ChildNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A member that leaves while it holds requests, in three member processes: a listener on the front
 * member, the application (which holds each request 100 ms) on members b and c, pipelined load on
 * several connections ({@link PipelinedLoad}). Every request is answered exactly once and in order.
 */
class MemberLeftTest {

  static String cluster(String name) {
    return "cluster:\n  name: " + name + "-" + UUID.randomUUID() + "\n  port: " + (6200 + (int) (Math.random() * 600)) + "\n";
  }

  static final String APP = """
      apps:
        - {name: held, verticle: dev.strata.cluster.HeldEchoVerticle, config: {address: app.held, member: %s, holdMs: 100}}
      """;

  static ChildNode front(String name, String cluster, int port) {
    return ChildNode.start(name, """
        listeners:
          - {name: lines, host: 127.0.0.1, port: %d, codec: lines, address: app.held, requestTimeout: 30s}
        """.formatted(port) + cluster, List.of("-Xmx256m"), List.of("--cluster"));
  }

  static ChildNode app(String name, String member, String cluster) {
    return ChildNode.start(name, APP.formatted(member) + cluster, List.of("-Xmx256m"), List.of("--cluster"));
  }

  /**
   * b is {@code kill -9}ed mid-load: the requests it held are answered with
   * {@code -ERR app.held: member n<k> left} as soon as Hazelcast drops it (far sooner than the 30 s
   * request timeout), and the connections it served go on with c.
   */
  @Test
  void requestsHeldByAKilledMemberFailAtOnceAndTheRestGoToTheSurvivor() throws Exception {
    String cluster = cluster("left");
    int port = ChildNode.freePort();
    try (ChildNode front = front("left-front", cluster, port);
        ChildNode b = app("left-b", "b", cluster);
        ChildNode c = app("left-c", "c", cluster)) {
      long killedAt;
      try (PipelinedLoad load = new PipelinedLoad(port, 8)) {
        b.kill();
        load.memberGone();
        killedAt = System.nanoTime();
        await("b's connections served by c").atMost(Duration.ofSeconds(30))
            .until(() -> load.byCAfter.get() >= 50 || !load.wrong.isEmpty());
        load.close();
        System.out.printf("kill -9: %d requests failed with member-left, slowest answer %d ms, c took over within %d ms%n",
            load.leftErrors.get(), load.slowestMs.get(), (System.nanoTime() - killedAt) / 1_000_000);
        assertThat(load.wrong).as(front.logTail()).isEmpty();
        assertThat(load.leftErrors.get()).as("requests b held, failed with member-left").isPositive();
        assertThat(load.slowestMs.get()).as("slowest answer, ms (request timeout 30 s)").isLessThan(3_000);
      }
      assertThat(c.isAlive()).isTrue();
    }
  }

  /**
   * b gets SIGTERM mid-load: the other members stop routing to it before it goes, it answers what it
   * holds, and not one request fails.
   */
  @Test
  void aMemberThatStopsAnswersWhatItHoldsAndLosesNothing() throws Exception {
    String cluster = cluster("leave");
    int port = ChildNode.freePort();
    try (ChildNode front = front("leave-front", cluster, port);
        ChildNode b = app("leave-b", "b", cluster);
        ChildNode c = app("leave-c", "c", cluster)) {
      try (PipelinedLoad load = new PipelinedLoad(port, 8)) {
        load.memberGone();
        b.close(); // SIGTERM, and waits for the process to exit
        await("b's connections served by c").atMost(Duration.ofSeconds(30))
            .until(() -> load.byCAfter.get() >= 50 || !load.wrong.isEmpty());
        load.close();
        System.out.printf("SIGTERM: %d member-left errors, slowest answer %d ms%n", load.leftErrors.get(),
            load.slowestMs.get());
        assertThat(load.wrong).as(front.logTail()).isEmpty();
        assertThat(load.leftErrors.get()).as("requests failed because b left").isZero();
        assertThat(b.logged("strata: stopped")).as(b.logTail()).isTrue();
      }
      assertThat(c.isAlive()).isTrue();
    }
  }
}
