package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.ChildNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kill -9 of Strata leaves no process application behind: the client libraries notice and exit. */
class ProcessOrphanTest {

  @Test
  void killMinus9OfTheNodeLeavesNoOrphanProcess() {
    ChildNode node = ChildNode.start("process-orphans", ProcessAppsTest.yaml(ChildNode.freePort(), ChildNode.freePort(),
        ChildNode.freePort(), ChildNode.freePort(), ChildNode.freePort()), List.of("-Xmx256m"));
    try {
      long python = ProcessAppsTest.awaitRunning(node, "n0-greet");
      long nodejs = ProcessAppsTest.awaitRunning(node, "n0-upper");
      assertThat(ProcessAppsTest.alive(python)).isTrue();
      assertThat(ProcessAppsTest.alive(nodejs)).isTrue();
      node.kill(); // SIGKILL: no shutdown hook runs, nobody sends SIGTERM to the children
      await("the Python child gone").atMost(Duration.ofSeconds(15)).until(() -> !ProcessAppsTest.alive(python));
      await("the Node child gone").atMost(Duration.ofSeconds(15)).until(() -> !ProcessAppsTest.alive(nodejs));
    } finally {
      node.close();
    }
  }
}
