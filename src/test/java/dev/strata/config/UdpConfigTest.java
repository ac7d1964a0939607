package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code transport: udp}: its keys, its defaults, and the TCP keys it refuses by path. */
@ExtendWith(VertxExtension.class)
class UdpConfigTest {

  private static StrataConfig bind(JsonObject... listeners) {
    return ConfigLoader.bind(new JsonObject().put("listeners", new JsonArray(java.util.List.of((Object[]) listeners))),
        Map.of(), Map.of());
  }

  private static JsonObject udp(String name, int port) {
    return new JsonObject().put("name", name).put("port", port).put("codec", "lines").put("address", "app.echo")
        .put("transport", "udp");
  }

  @Test
  void aUdpListenerHasOneInstanceAndDatagramDefaults() {
    ListenerConfig l = bind(udp("u", 7070)).listeners().get(0);
    assertThat(l.udp()).isTrue();
    assertThat(l.instances()).isEqualTo(1);
    assertThat(l.maxDatagramBytes()).isEqualTo(65_507);
    assertThat(l.maxSenders()).isEqualTo(10_000);
  }

  @Test
  void tcpOnlyKeysAreRefusedOnAUdpListenerNamingTheirPath() {
    assertThatThrownBy(() -> bind(udp("u", 1).put("maxConnectionsPerIp", 4)))
        .hasMessageStartingWith("listeners[0].maxConnectionsPerIp: is a tcp setting, refused on a udp listener");
    assertThatThrownBy(() -> bind(udp("u", 1).put("maxConnections", 4)))
        .hasMessageStartingWith("listeners[0].maxConnections: is a tcp setting");
    assertThatThrownBy(() -> bind(udp("u", 1).put("frameTimeout", "1s")))
        .hasMessageStartingWith("listeners[0].frameTimeout: is a tcp setting");
    assertThatThrownBy(() -> bind(udp("u", 1).put("slowConsumerTimeout", "1s")))
        .hasMessageStartingWith("listeners[0].slowConsumerTimeout: is a tcp setting");
    assertThatThrownBy(() -> bind(udp("u", 1).put("maxWriteQueue", 1024)))
        .hasMessageStartingWith("listeners[0].maxWriteQueue: is a tcp setting");
    assertThatThrownBy(() -> bind(udp("u", 1).put("instances", 4)))
        .hasMessageStartingWith("listeners[0].instances: 4: a udp listener is one socket on one event loop");
  }

  @Test
  void udpKeysAreCheckedAndRefusedOnATcpListener() {
    assertThatThrownBy(() -> bind(udp("u", 1).put("maxDatagramBytes", 70_000)))
        .hasMessage("listeners[0].maxDatagramBytes: 70000 must be in 1..65507");
    assertThatThrownBy(() -> bind(udp("u", 1).put("maxSenders", 0)))
        .hasMessage("listeners[0].maxSenders: 0 must be > 0");
    assertThatThrownBy(() -> bind(udp("u", 1).put("transport", "sctp")))
        .hasMessageStartingWith("listeners[0].transport: 'sctp' is not a transport; use tcp or udp");
    assertThatThrownBy(() -> bind(udp("t", 1).put("transport", "tcp").put("maxDatagramBytes", 512)))
        .hasMessage("listeners[0].maxDatagramBytes: applies to transport udp only");
  }

  @Test
  void aTcpAndAUdpListenerMayShareAPortNumberButTwoUdpListenersMayNot() {
    JsonObject tcp = udp("t", 7070).put("transport", "tcp");
    assertThat(bind(tcp, udp("u", 7070)).listeners()).hasSize(2);
    assertThatThrownBy(() -> bind(udp("u1", 7070), udp("u2", 7070)))
        .hasMessage("listeners[1].port: port 7070 is already used by listener 'u1'");
  }

  @Test
  void theShippedConfigurationHasAUdpEcho(Vertx vertx) {
    StrataConfig c = ConfigLoader.load(vertx, Path.of("conf/strata.yaml")).await();
    ListenerConfig echo = c.listeners().stream().filter(l -> l.name().equals("echo-udp")).findFirst().orElseThrow();
    assertThat(echo.udp()).isTrue();
    assertThat(echo.port()).isEqualTo(7070);
  }
}
