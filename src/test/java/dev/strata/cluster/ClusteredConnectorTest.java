package dev.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.config.ClusterConfig;
import dev.strata.exchange.Service;
import dev.strata.exchange.ValueList;
import dev.strata.exchange.ValueListCodec;
import dev.strata.server.Strata;
import dev.strata.support.ConnectorNodes;
import dev.strata.support.RedisServer;
import dev.strata.support.TestNodes;
import dev.strata.support.TestClusters;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A connector on member A answers verticles on member B: svc.redis is a cluster-wide address, and its
 * replies keep their types across the wire (ValueList with binary values and nils, Long, errors).
 */
class ClusteredConnectorTest {

  @Test
  void aConnectorOnOneMemberAnswersVerticlesOnAnother() throws Exception {
    String name = "strata-connector-test-" + UUID.randomUUID();
    try (RedisServer redis = RedisServer.start()) {
      Vertx a = ClusterNode.start(new VertxOptions(), ClusterConfig.defaults(), TestClusters.hazelcast(name, 5961)).await();
      Vertx b = ClusterNode.start(new VertxOptions(), ClusterConfig.defaults(), TestClusters.hazelcast(name, 5961)).await();
      Strata strata = null;
      try {
        strata = TestNodes.start(a, ConnectorNodes.node(ConnectorNodes.connector("redis", redis.hostPort(), "resp")));
        ValueListCodec.register(b); // every member that sends or receives ValueLists

        byte[] binary = {0, 1, 2, (byte) 0xff, '\r', '\n'};
        Object ok = ConnectorNodes.within(b.eventBus().request("svc.redis",
            ValueList.of(Buffer.buffer("SET"), Buffer.buffer("bin"), Buffer.buffer(binary))).map(Message::body), 30);
        assertThat(ok).isEqualTo("OK");

        Object values = ConnectorNodes.within(b.eventBus().request("svc.redis", ValueList.of("MGET", "bin", "missing"))
            .map(Message::body), 30);
        assertThat(values).isInstanceOf(ValueList.class);
        ValueList list = (ValueList) values;
        assertThat(list.get(0)).isInstanceOf(Buffer.class);
        assertThat(((Buffer) list.get(0)).getBytes()).isEqualTo(binary);
        assertThat(list.get(1)).isNull();

        // Service.at on B: no local endpoint there, so the clustered event bus carries it
        Object n = ConnectorNodes.onContext(b, () -> Service.at(b, "svc.redis").request("INCR counter"));
        assertThat(n).isEqualTo(1L);

        assertThatThrownBy(() -> ConnectorNodes.onContext(b, () -> Service.at(b, "svc.redis").request("FROB")))
            .isInstanceOf(ReplyException.class).hasMessageStartingWith("ERR unknown command 'FROB'");
        assertThat(redis.jedis().get("counter")).isEqualTo("1");
      } finally {
        if (strata != null) {
          strata.stop().await();
        }
        b.close().await();
        a.close().await();
      }
    }
  }
}
