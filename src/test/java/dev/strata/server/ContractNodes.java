package dev.strata.server;

import static org.awaitility.Awaitility.await;

import dev.strata.cluster.ClusterNode;
import dev.strata.config.ClusterConfig;
import dev.strata.exchange.Endpoint;
import dev.strata.stream.Connection;
import dev.strata.support.TestNodes;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import dev.strata.support.TestClusters;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The nodes of every {@link ContractPath}, started on first use and shared by one test class: one
 * Vert.x with a single event loop (the application is called in place), one with two event loops
 * (it is not), one for the event bus, two Hazelcast members for the cluster. Each test deploys its
 * application and a listener with {@link #deploy} under an address of its own, so that nothing is
 * left over from another test (cluster registrations leave asynchronously).
 */
final class ContractNodes implements AutoCloseable {

  static final String LISTENER = "contract";
  /** Hazelcast ports of these tests' members: away from other tests' (ClusteredExchangeTest uses 5901+). */
  static final int HAZELCAST_PORT = 5941;

  private static final AtomicInteger ADDRESSES = new AtomicInteger();
  /** A request with this header is answered by {@link App} itself; the test's behaviour never sees it. */
  private static final String WARM_UP = "contract.warm-up";

  private final Map<ContractPath, Vertx[]> nodes = new EnumMap<>(ContractPath.class);

  /** What an application does with a request; {@code app} gives its Vert.x and its context. */
  @FunctionalInterface
  interface Behaviour {
    void handle(App app, Message<Object> msg);
  }

  /** The application under test: serves {@code config.address} with a {@link Behaviour}. */
  static final class App extends VerticleBase {
    private final Behaviour behaviour;
    private volatile Context context;

    App(Behaviour behaviour) {
      this.behaviour = behaviour;
    }

    @Override
    public Future<?> start() {
      context = vertx.getOrCreateContext();
      return Endpoint.serve(vertx, config().getString("address"), m -> {
        if (m.headers().contains(WARM_UP)) {
          m.reply("warm");
        } else {
          behaviour.handle(this, m);
        }
      });
    }

    Vertx vertx() {
      return vertx;
    }

    /** The context the verticle was started on. */
    Context context() {
      return context;
    }
  }

  /** One test's application and listener over one path. */
  static final class Deployed implements AutoCloseable {
    final ContractPath path;
    final String address;
    final Vertx listenerNode;
    final Vertx appNode;
    final App app;
    final String appDeployment;
    final Strata strata;

    Deployed(ContractPath path, String address, Vertx listenerNode, Vertx appNode, App app, String appDeployment,
        Strata strata) {
      this.path = path;
      this.address = address;
      this.listenerNode = listenerNode;
      this.appNode = appNode;
      this.app = app;
      this.appDeployment = appDeployment;
      this.strata = strata;
    }

    int port() {
      return strata.port(LISTENER);
    }

    /** The listener's only open connection. */
    Connection connection() {
      List<Connection> open = new ArrayList<>(strata.registry().open());
      if (open.size() != 1) {
        throw new AssertionError("expected one open connection, found " + open);
      }
      return open.get(0);
    }

    /** Whether {@code t} is the event loop of the listener's only connection. */
    boolean onConnectionLoop(Thread t) {
      return ((NetSocketInternal) connection().socket()).channelHandlerContext().executor().inEventLoop(t);
    }

    @Override
    public void close() {
      strata.stop().await();
      appNode.undeploy(appDeployment).await();
    }
  }

  /**
   * Deploys {@code behaviour} as an application (with {@code appOptions}; its config gets the address)
   * and a listener for it with {@code codec} and the path's dispatch mode ({@code listenerExtra} merged
   * into the listener's config).
   */
  Deployed deploy(ContractPath path, String codec, Behaviour behaviour, DeploymentOptions appOptions,
      JsonObject listenerExtra) {
    Vertx[] n = nodes(path);
    return deploy(path, n[0], n[n.length - 1], path == ContractPath.EVENT_BUS ? "event-bus" : "local-first", codec,
        behaviour, appOptions, listenerExtra);
  }

  /**
   * The application and its listener on one cluster member, with {@code dispatch}: the local paths of a
   * clustered node, whose event bus routes a plain send through the cluster's registry.
   */
  Deployed deployOnOneMember(String dispatch, String codec, Behaviour behaviour) {
    Vertx b = nodes(ContractPath.CLUSTER)[1];
    return deploy(ContractPath.CLUSTER, b, b, dispatch, codec, behaviour, new DeploymentOptions(), new JsonObject());
  }

  private Deployed deploy(ContractPath path, Vertx listenerNode, Vertx appNode, String dispatch, String codec,
      Behaviour behaviour, DeploymentOptions appOptions, JsonObject listenerExtra) {
    String address = "app.contract" + ADDRESSES.incrementAndGet();
    App app = new App(behaviour);
    DeploymentOptions o = new DeploymentOptions(appOptions);
    o.setConfig(o.getConfig() == null ? new JsonObject() : o.getConfig().copy()).getConfig().put("address", address);
    String id = appNode.deployVerticle(app, o).await();
    JsonObject listener = TestNodes.listener(LISTENER, codec, address)
        .put("dispatch", dispatch)
        .mergeIn(listenerExtra);
    Strata strata;
    try {
      strata = TestNodes.start(listenerNode, new JsonObject()
          .put("listeners", new JsonArray().add(listener))
          .put("admin", new JsonObject().put("enabled", false)));
    } catch (RuntimeException e) {
      appNode.undeploy(id).await();
      throw e;
    }
    Deployed d = new Deployed(path, address, listenerNode, appNode, app, id, strata);
    if (listenerNode != appNode) {
      warmUp(listenerNode, address);
    }
    return d;
  }

  /**
   * Across members, the first request to an address looks it up in Hazelcast and may open the event
   * bus's connection between the members: on a busy machine longer than a short request timeout. One
   * request from the listener's member first, so that a test's first request measures the contract.
   */
  private static void warmUp(Vertx from, String address) {
    DeliveryOptions o = new DeliveryOptions().addHeader(WARM_UP, "true").setSendTimeout(10_000);
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      try {
        return "warm".equals(from.eventBus().request(address, "warm-up", o).await().body());
      } catch (ReplyException e) {
        if (e.failureType() == ReplyFailure.NO_HANDLERS) {
          return false; // the registration has not reached that member yet
        }
        throw e;
      }
    });
  }

  Deployed deploy(ContractPath path, String codec, Behaviour behaviour) {
    return deploy(path, codec, behaviour, new DeploymentOptions(), new JsonObject());
  }

  /** The listener's node first, the application's last (the same but for the cluster). */
  private synchronized Vertx[] nodes(ContractPath path) {
    return nodes.computeIfAbsent(path, p -> switch (p) {
      case LOCAL_IN_PLACE -> new Vertx[] {Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1))};
      case LOCAL_FIRST -> new Vertx[] {Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2))};
      case EVENT_BUS -> new Vertx[] {Vertx.vertx()};
      case CLUSTER -> {
        String name = "strata-contract-" + UUID.randomUUID();
        Vertx a = ClusterNode.start(new VertxOptions(), ClusterConfig.defaults(), TestClusters.hazelcast(name, HAZELCAST_PORT)).await();
        Vertx b = ClusterNode.start(new VertxOptions(), ClusterConfig.defaults(), TestClusters.hazelcast(name, HAZELCAST_PORT)).await();
        yield new Vertx[] {a, b};
      }
    });
  }

  /** Closes every node started, the cluster's application member before its listener member. */
  @Override
  public synchronized void close() {
    for (Vertx[] n : nodes.values()) {
      for (int i = n.length - 1; i >= 0; i--) {
        n[i].close().await();
      }
    }
    nodes.clear();
  }
}
