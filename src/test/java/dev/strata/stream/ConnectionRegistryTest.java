package dev.strata.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.LineClient;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The byte-stream layer alone: a raw echo over TcpListener, with no framing and no event bus. */
@ExtendWith(VertxExtension.class)
class ConnectionRegistryTest {

  private static int listen(Vertx vertx, ConnectionRegistry registry, int max) {
    TcpListenerOptions o = new TcpListenerOptions("raw", "127.0.0.1", 0, 0, 0, max, 0, 0);
    return new TcpListener(vertx, o, registry, c -> c.socket().handler(b -> {
      c.countIn(b.length());
      c.socket().write(b);
      c.countOut(b.length(), 0);
    })).start().await();
  }

  @Test
  void registersConnectionsWithIdsAndCountersAndRemovesThemOnClose(Vertx vertx) throws Exception {
    ConnectionRegistry registry = new ConnectionRegistry();
    List<String> events = new CopyOnWriteArrayList<>();
    registry.addListener(new RegistryListener() {
      @Override
      public void opened(Connection c) {
        events.add("open " + c.id());
      }

      @Override
      public void closed(Connection c) {
        events.add("closed " + c.id() + " " + c.closeReason());
      }
    });
    int port = listen(vertx, registry, 10);
    try (LineClient a = new LineClient(port); LineClient b = new LineClient(port)) {
      assertThat(a.request("ping")).isEqualTo("ping");
      assertThat(b.request("pong")).isEqualTo("pong");
      assertThat(registry.size()).isEqualTo(2);
      assertThat(registry.open()).extracting(Connection::id).containsExactlyInAnyOrder(1L, 2L);
      Connection first = registry.get(1);
      assertThat(first.bytesIn()).isEqualTo(5);
      assertThat(first.localAddress().port()).isEqualTo(port);
    }
    await().until(() -> registry.size() == 0);
    assertThat(registry.stats("raw").accepted()).isEqualTo(2);
    assertThat(events).contains("open 1", "open 2", "closed 1 CLIENT_CLOSED", "closed 2 CLIENT_CLOSED");
  }

  @Test
  void recordsServerSideCloseReasonAndResets(Vertx vertx) throws Exception {
    ConnectionRegistry registry = new ConnectionRegistry();
    int port = listen(vertx, registry, 10);
    LineClient kicked = new LineClient(port);
    LineClient crashed = new LineClient(port);
    kicked.request("x");
    crashed.request("y");
    registry.get(1).close(CloseReason.CLOSED_BY_ADMIN);
    assertThat(kicked.closedByServer()).isTrue();
    crashed.reset();
    await().until(() -> registry.size() == 0);
    assertThat(registry.recentlyClosed()).extracting(ClosedConnection::closeReason)
        .containsExactlyInAnyOrder(CloseReason.CLOSED_BY_ADMIN, CloseReason.RESET);
    kicked.close();
  }

  @Test
  void refusesConnectionsBeyondTheLimit(Vertx vertx) throws Exception {
    ConnectionRegistry registry = new ConnectionRegistry();
    int port = listen(vertx, registry, 1);
    try (LineClient first = new LineClient(port); LineClient second = new LineClient(port)) {
      assertThat(first.request("ok")).isEqualTo("ok");
      assertThat(second.closedByServer()).isTrue();
      assertThat(registry.stats("raw").rejected()).isEqualTo(1);
      assertThat(registry.size()).isEqualTo(1);
    }
  }

  @Test
  void keepsABoundedRingOfClosedConnections(Vertx vertx) throws Exception {
    ConnectionRegistry registry = new ConnectionRegistry(3);
    int port = listen(vertx, registry, 100);
    for (int i = 0; i < 5; i++) {
      try (LineClient c = new LineClient(port)) {
        c.request("hi");
      }
    }
    await().until(() -> registry.size() == 0 && registry.stats("raw").accepted() == 5);
    await().untilAsserted(() -> assertThat(registry.recentlyClosed()).extracting(ClosedConnection::id).containsExactly(3L, 4L, 5L));
  }
}
