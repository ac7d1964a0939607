package dev.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import dev.strata.config.ClusterConfig;
import dev.strata.support.ChildNode;
import dev.strata.support.LineClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode as a user starts it: {@code --cluster} with the shipped {@code conf/cluster.xml}, two
 * member processes, each given this test's own cluster name and ports through {@code cluster.name} and
 * {@code cluster.port} so that no other test's members can join.
 */
class ShippedClusterConfigTest {

  @Test
  void theShippedFileParsesAndTheYamlKeysOverrideNameAndPorts() {
    Config c = ClusterNode.hazelcastConfig(new ClusterConfig(true, null, "conf/cluster.xml", "only-us", 6100, null));
    assertThat(c.getClusterName()).isEqualTo("only-us");
    assertThat(c.getNetworkConfig().getPort()).isEqualTo(6100);
    assertThat(c.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:6100", "127.0.0.1:6101",
        "127.0.0.1:6102", "127.0.0.1:6103", "127.0.0.1:6104");
    Config plain = ClusterNode.hazelcastConfig(ClusterConfig.defaults());
    assertThat(plain.getClusterName()).isEqualTo("strata");
    assertThat(plain.getNetworkConfig().getPort()).isEqualTo(5701);
  }

  /** The first of {@code n} consecutive ports that are free now. */
  static int freeRun(int n) throws IOException {
    for (int tries = 0; tries < 50; tries++) {
      int first = 20_000 + (int) (Math.random() * 30_000);
      List<ServerSocket> held = new ArrayList<>();
      try {
        for (int i = 0; i < n; i++) {
          held.add(new ServerSocket(first + i, 50, InetAddress.getLoopbackAddress()));
        }
        return first;
      } catch (IOException taken) {
        // try another run
      } finally {
        for (ServerSocket s : held) {
          s.close();
        }
      }
    }
    throw new IOException("no " + n + " consecutive free ports");
  }

  @Test
  void busAndLinkPortsAreCheckedNamingTheKey() {
    assertThatThrownBy(() -> new ClusterConfig(true, null, null, null, null, null, 70000, null))
        .hasMessage("busPort: 70000 is out of range 0..65535");
    assertThatThrownBy(() -> new ClusterConfig(true, null, null, null, null, null, null, -1))
        .hasMessage("linkPort: -1 is out of range 0..65535");
  }

  @Test
  void aBrokenFileIsRefusedNamingTheKey() throws Exception {
    Path bad = Files.createTempFile("cluster", ".xml");
    Files.writeString(bad, "<hazelcast><!-- a -- b --></hazelcast>");
    assertThatThrownBy(() -> ClusterNode.hazelcastConfig(bad.toString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cluster.config: " + bad);
  }

  @Test
  void twoMembersStartedWithTheFlagAndTheShippedFileServeEachOther() throws Exception {
    String name = "shipped-" + UUID.randomUUID();
    int hazelcastPort = 6200 + (int) (Math.random() * 600);
    String cluster = "cluster:\n  name: " + name + "\n  port: " + hazelcastPort + "\n";
    int echoPort = ChildNode.freePort();
    int kvA = ChildNode.freePort();
    int kvB = ChildNode.freePort();
    int busPort = ChildNode.freePort();
    int linkPort = freeRun(16); // one per event loop of the member (2 per core by default)
    try (ChildNode app = ChildNode.start("shipped-app", """
            listeners:
              - {name: kv, host: 127.0.0.1, port: %d, codec: resp, address: app.kv}
            apps:
              - verticle: dev.strata.apps.EchoVerticle
              - verticle: dev.strata.apps.KvVerticle
            """.formatted(kvB) + cluster + "  busPort: " + busPort + "\n  linkPort: " + linkPort + "\n",
            List.of("-Xmx256m"), List.of("--cluster"));
        ChildNode front = ChildNode.start("shipped-front", """
            listeners:
              - {name: echo, host: 127.0.0.1, port: %d, codec: lines, address: app.echo}
              - {name: kv, host: 127.0.0.1, port: %d, codec: resp, address: app.kv}
            """.formatted(echoPort, kvA) + cluster, List.of("-Xmx256m"), List.of("--cluster"))) {
      assertThat(front.logged("(clustered, node n")).as(front.logTail()).isTrue();
      // the listener's member has no echo application: the answer comes from the other member
      await("a line echoed across the members").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        try (LineClient c = new LineClient(echoPort)) {
          assertThat(c.request("across")).isEqualTo("across");
        }
      });
      // the member given fixed ports listens on them (a firewall between machines can let them through)
      for (int port : new int[] {busPort, linkPort, linkPort + 1}) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
          assertThat(probe.isConnected()).as("listening on " + port).isTrue();
        }
      }
      assertThat(app.logged("no route link server")).as(app.logTail()).isFalse();
      // a stranger on a link port (not a member: anything but route frames) is closed, and nothing else
      try (Socket stranger = new Socket("127.0.0.1", linkPort)) {
        stranger.setSoTimeout(10_000);
        stranger.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(stranger.getInputStream().read()).as("closed by the member").isEqualTo(-1);
      }
      try (LineClient c = new LineClient(echoPort)) {
        assertThat(c.request("still across")).isEqualTo("still across");
      }
      // connection ids are unique across the cluster: each member's first kv connection differs
      long idA;
      long idB;
      try (LineClient a = new LineClient(kvA); LineClient b = new LineClient(kvB)) {
        idA = Long.parseLong(a.request("CLIENT ID").substring(1));
        idB = Long.parseLong(b.request("CLIENT ID").substring(1));
      }
      assertThat(idA).isNotEqualTo(idB);
      assertThat(idA >> 40).as("member numbers").isNotEqualTo(idB >> 40).isPositive();
      assertThat(idB >> 40).isPositive();
    }
  }
}
