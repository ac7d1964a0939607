package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.ChildNode;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node started as {@code strata run} would be, with udp listeners, answering a peer that is
 * another program: a python3 process with its own UDP socket.
 */
class UdpProcessTest {

  private static ChildNode node;
  private static int echoPort;
  private static int kvPort;

  @BeforeAll
  static void start() throws IOException {
    echoPort = freeUdpPort();
    kvPort = freeUdpPort();
    node = ChildNode.start("udp-process", """
        listeners:
          - name: echo-udp
            transport: udp
            host: 127.0.0.1
            port: %d
            codec: lines
            address: app.echo
          - name: kv-udp
            transport: udp
            host: 127.0.0.1
            port: %d
            codec: resp
            address: app.kv
        apps:
          - verticle: dev.strata.apps.EchoVerticle
          - verticle: dev.strata.apps.KvVerticle
        """.formatted(echoPort, kvPort), List.of("-Xmx256m"));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Runs a python3 UDP client: sends each datagram, prints each reply's repr on its own line. */
  private static List<String> python(int port, String... datagrams) throws Exception {
    String script = """
        import socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(5)
        for d in sys.argv[2:]:
            s.sendto(d.encode().decode('unicode_escape').encode('latin-1'), ('127.0.0.1', int(sys.argv[1])))
            print(repr(s.recvfrom(65536)[0].decode()))
        """;
    List<String> cmd = new java.util.ArrayList<>(List.of("python3", "-c", script, Integer.toString(port)));
    cmd.addAll(List.of(datagrams));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }

  @Test
  void thePythonPeerGetsItsLinesBack() throws Exception {
    assertThat(python(echoPort, "hello\\n", "from python\\n"))
        .containsExactly("'hello\\n'", "'from python\\n'");
  }

  @Test
  void thePythonPeerTalksRespToTheKvStore() throws Exception {
    assertThat(python(kvPort, "*3\\r\\n$3\\r\\nSET\\r\\n$1\\r\\nk\\r\\n$2\\r\\npy\\r\\n", "*2\\r\\n$3\\r\\nGET\\r\\n$1\\r\\nk\\r\\n",
        "*1\\r\\n$4\\r\\nBAD"))
        .containsExactly("'+OK\\r\\n'", "'$2\\r\\npy\\r\\n'",
            "'-ERR truncated frame: the datagram ended 3 bytes into a frame (frames never span datagrams)\\r\\n'");
  }

  @Test
  void theStartupBannerSaysUdp() {
    assertThat(node.logged("echo-udp   127.0.0.1:" + echoPort + "/udp")).as(node.logTail()).isTrue();
    assertThat(node.get("/api/listeners/echo-udp/senders").getLong("total")).isNotNull();
  }
}
