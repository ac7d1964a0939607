package dev.strata.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;

/**
 * The reference for the bridge benchmark (src/bench/bridge-compare.sh), in a JVM of its own so that its
 * CPU is measured apart: Vert.x's TCP event-bus bridge 5.0.7 set up as its documentation shows (created in
 * a verticle with inbound rules, {@code listen(port)}), deployed as many times as Strata deploys its bridge
 * and its echo application (one instance per core), in front of the same {@code app.echo} (a consumer
 * replying with the request's body).
 *
 * <pre>java -cp target/test-classes:$(cat target/bench-classpath) dev.strata.bench.ReferenceBridgeServer 17001</pre>
 */
public final class ReferenceBridgeServer {

  private ReferenceBridgeServer() {
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int instances = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.eventBus().consumer("app.echo", m -> m.reply(m.body())).completion();
      }
    }, new DeploymentOptions().setInstances(instances)).await();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        TcpEventBusBridge bridge = TcpEventBusBridge.create(vertx, new BridgeOptions()
            .addInboundPermitted(new PermittedOptions().setAddressRegex("app\\..+")));
        return bridge.listen(port, "127.0.0.1");
      }
    }, new DeploymentOptions().setInstances(instances)).await();
    System.out.println("reference bridge (vertx-tcp-eventbus-bridge 5.0.7) on 127.0.0.1:" + port
        + ", " + instances + " instances");
  }
}
