package dev.strata.server;

import dev.strata.bridge.BridgeRules;
import dev.strata.bridge.BridgeVerticle;
import dev.strata.config.AppConfig;
import dev.strata.config.BridgeConfig;
import dev.strata.config.ConnectorConfig;
import dev.strata.config.CorrelationMode;
import dev.strata.connector.Connector;
import dev.strata.connector.ConnectorOptions;
import dev.strata.connector.ConnectorVerticle;
import dev.strata.connector.Connectors;
import dev.strata.exchange.ClientOptions;
import dev.strata.exchange.Correlation;
import dev.strata.config.ListenerConfig;
import dev.strata.config.StrataConfig;
import dev.strata.exchange.ExchangeObserver;
import dev.strata.exchange.MemberRoutes;
import dev.strata.exchange.PushRoutes;
import dev.strata.exchange.ValueListCodec;
import dev.strata.process.ProcessGroup;
import dev.strata.process.ProcessOptions;
import dev.strata.process.ProcessVerticle;
import dev.strata.stream.ConnectionRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.deployment.DeploymentContext;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running Strata node: the connectors, the applications, then the listeners (so that an application
 * finds its services and the first request finds its application), on a given Vert.x instance.
 *
 * <pre>{@code
 * Strata strata = Strata.start(vertx, config).await();
 * int port = strata.port("echo");
 * }</pre>
 */
public final class Strata {

  /** The cluster-wide counter members number themselves from. */
  static final String NODE_COUNTER = "strata.node-numbers";

  private static final System.Logger LOG = System.getLogger(Strata.class.getName());

  private final Vertx vertx;
  /** Replaced by {@link #reload} (its listeners only); read from any thread. */
  private volatile StrataConfig config;
  private volatile ConnectionBudget budget;
  /** The file {@link #reload()} re-reads, when the node was started from one. */
  private volatile java.nio.file.Path configFile;
  private final ConnectionRegistry registry;
  private final ExchangeObserver observer;
  private final Map<String, Integer> ports = new ConcurrentHashMap<>();
  private final List<String> deployments = new ArrayList<>();
  /** Where applications sit in {@link #deployments}: after the connectors, before the listeners. */
  private int appsEnd;
  private final Map<String, Deployment> applications = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, String> listenerDeployments = new ConcurrentHashMap<>();
  private final java.util.Set<String> drained = ConcurrentHashMap.newKeySet();
  private final Connectors connectors = new Connectors();
  private final TlsReloads tlsReloads;

  private Strata(Vertx vertx, StrataConfig config, ConnectionRegistry registry, ExchangeObserver observer,
      ConnectionBudget budget) {
    this.vertx = vertx;
    this.budget = budget;
    this.observer = observer;
    this.config = config;
    this.registry = registry;
    this.tlsReloads = new TlsReloads(vertx);
  }

  public static Future<Strata> start(Vertx vertx, StrataConfig config) {
    return start(vertx, config, new ConnectionRegistry(), ExchangeObserver.NONE);
  }

  /** Starts with a given registry and an observer of every exchange (metrics, the dashboard). */
  public static Future<Strata> start(Vertx vertx, StrataConfig config, ConnectionRegistry registry,
      ExchangeObserver observer) {
    ValueListCodec.register(vertx);
    ConnectionBudget budget = ConnectionBudget.plan(config, ConnectionBudget.processFileLimit());
    budget.warnings().forEach(w -> LOG.log(System.Logger.Level.WARNING, w));
    LOG.log(System.Logger.Level.DEBUG, "maxConnections {0} (open-file limit {1})", budget.maxConnections(),
        budget.fileLimit());
    registry.pendingFrames().limit(config.limits().pendingFrameBytes(Runtime.getRuntime().maxMemory()));
    Strata s = new Strata(vertx, config, registry, observer, budget);
    // A clustered node takes a number no other member has: its connection ids are then unique in the cluster.
    Future<Void> chain = !vertx.isClustered() ? Future.succeededFuture()
        : vertx.sharedData().getCounter(NODE_COUNTER).compose(c -> c.incrementAndGet())
            .compose(n -> {
              registry.node((int) (long) n);
              // requests from other members' listeners, a read's worth at a time; and this member's routes;
              // then pushes from other members to this member's connections (strata.push.n<n>)
              return MemberRoutes.of(vertx).join("n" + n)
                  .compose(v -> PushRoutes.of(vertx).join((int) (long) n));
            });
    for (ConnectorConfig c : config.connectors()) {
      chain = chain.compose(v -> s.deployConnector(c));
    }
    // the bridge before the applications: a process application's children connect to its bound port
    if (config.bridge().enabled()) {
      chain = chain.compose(v -> s.deployBridge(config.bridge()));
    }
    chain = chain.map(v -> {
      synchronized (s.deployments) {
        s.appsEnd = s.deployments.size();
      }
      return null;
    });
    for (AppConfig app : config.apps()) {
      chain = chain.compose(v -> s.deployApp(app));
    }
    for (ListenerConfig l : config.listeners()) {
      chain = chain.compose(v -> s.deployListener(l));
    }
    return chain.map(s).recover(err -> s.stop().transform(ignored -> Future.failedFuture(err)));
  }

  private Future<Void> deployApp(AppConfig app) {
    // two unnamed entries of one class (two stores on two addresses) get KvVerticle and KvVerticle-2
    String name = app.name();
    for (int n = 2; applications.containsKey(nodeId() + "-" + name); n++) {
      name = app.name() + "-" + n;
    }
    if (app.process() != null) {
      return deployProcess(name, app, "config").mapEmpty();
    }
    return deploy(name, app.verticle(), instances(app.instances()), new JsonObject(app.config()), "config",
        app.ha())
        .recover(err -> Future.failedFuture(new IllegalStateException(
            "application " + app.name() + " (" + app.verticle() + ") failed to start: " + err.getMessage(), err)))
        .mapEmpty();
  }

  /**
   * Deploys an application on this node: {@code instances} of {@code verticle} (a class on the class
   * path), each given {@code config}. Its id is {@code <node>-<name>}; a name already deployed here is
   * refused.
   */
  public Future<Deployment> deploy(String name, String verticle, int instances, JsonObject config, String source) {
    return deploy(name, verticle, instances, config, source, false);
  }

  /** As {@link #deploy(String, String, int, JsonObject, String)}; {@code ha}: redeployed on a survivor if this member dies. */
  public Future<Deployment> deploy(String name, String verticle, int instances, JsonObject config, String source,
      boolean ha) {
    if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
      return Future.failedFuture(new IllegalArgumentException("name '" + name + "' may hold only letters, digits, '.', '_' and '-'"));
    }
    if (instances < 1) {
      return Future.failedFuture(new IllegalArgumentException("instances " + instances + " must be >= 1"));
    }
    try {
      Class.forName(verticle, false, Strata.class.getClassLoader());
    } catch (ClassNotFoundException | RuntimeException e) {
      return Future.failedFuture(new IllegalArgumentException("class " + verticle + " not found"));
    }
    String id = nodeId() + "-" + name;
    if (applications.putIfAbsent(id, new Deployment(id, name, verticle, instances, config, source, 0, null, null)) != null) {
      return Future.failedFuture(new IllegalStateException("an application named " + name + " is already deployed on " + nodeId()));
    }
    return vertx.deployVerticle(verticle, new DeploymentOptions().setInstances(instances).setConfig(config.copy())
            .setHa(ha && vertx.isClustered()))
        .map(vertxId -> {
          Deployment d = new Deployment(id, name, verticle, instances, config, source, System.currentTimeMillis(), vertxId,
              null);
          applications.put(id, d);
          synchronized (deployments) {
            deployments.add(appsEnd++, vertxId);
          }
          return d;
        })
        .onFailure(err -> applications.remove(id));
  }

  /**
   * Deploys a process application on this node ({@code app.process()}): {@code app.instances()} child
   * processes, supervised, answering {@code app.address()} through the bridge (docs/polyglot.md). A
   * program that cannot be started does not fail the deployment: its instances show state "failed" and
   * the reason, and the node stays up.
   */
  public Future<Deployment> deployProcess(String name, AppConfig app, String source) {
    if (app.process() == null) {
      return Future.failedFuture(new IllegalArgumentException("process is required"));
    }
    if (!config.bridge().enabled() || ports.get(BridgeVerticle.LISTENER_NAME) == null) {
      return Future.failedFuture(new IllegalStateException(
          "application " + name + " needs the event-bus bridge, which is not enabled (bridge section)"));
    }
    if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
      return Future.failedFuture(new IllegalArgumentException("name '" + name + "' may hold only letters, digits, '.', '_' and '-'"));
    }
    int instances = instances(app.instances());
    String id = nodeId() + "-" + name;
    if (applications.putIfAbsent(id, new Deployment(id, name, null, instances, new JsonObject(), source, 0, null, null)) != null) {
      return Future.failedFuture(new IllegalStateException("an application named " + name + " is already deployed on " + nodeId()));
    }
    ProcessOptions options = processOptions(id, name, app);
    return startProcesses(options, instances)
        .map(started -> {
          Deployment d = new Deployment(id, name, null, instances, new JsonObject(), source, System.currentTimeMillis(),
              started.vertxId(), started.process());
          applications.put(id, d);
          synchronized (deployments) {
            deployments.add(appsEnd++, started.vertxId());
          }
          return d;
        })
        .onFailure(err -> applications.remove(id));
  }

  private ProcessOptions processOptions(String id, String name, AppConfig app) {
    BridgeConfig b = config.bridge();
    String host = "0.0.0.0".equals(b.host()) ? "127.0.0.1" : b.host();
    return new ProcessOptions(id, name, app.process(), app.address(), app.env(), app.restart().initial().toMillis(),
        app.restart().max().toMillis(), app.stopTimeout().toMillis(), host, ports.get(BridgeVerticle.LISTENER_NAME),
        b.token());
  }

  private record StartedProcesses(String vertxId, Deployment.Process process) {
  }

  private Future<StartedProcesses> startProcesses(ProcessOptions options, int instances) {
    ProcessGroup group = new ProcessGroup();
    return vertx.deployVerticle(() -> new ProcessVerticle(options, group), new DeploymentOptions().setInstances(instances))
        .map(vertxId -> new StartedProcesses(vertxId, new Deployment.Process(options, group)));
  }

  /**
   * Runs {@code instances} instances of a deployed application instead: the new set is deployed, then
   * the old one undeployed, so the address is served throughout.
   */
  public Future<Deployment> scale(String id, int instances) {
    adoptMoved();
    Deployment d = applications.get(id);
    if (d == null || d.vertxId() == null) {
      return Future.failedFuture(new java.util.NoSuchElementException("no deployment " + id));
    }
    if (instances < 1) {
      return Future.failedFuture(new IllegalArgumentException("instances " + instances + " must be >= 1 (undeploy to stop it)"));
    }
    Future<StartedProcesses> started = d.process() != null
        ? startProcesses(d.process().options(), instances)
        : vertx.deployVerticle(d.verticle(), new DeploymentOptions().setInstances(instances).setConfig(d.config().copy()))
            .map(vertxId -> new StartedProcesses(vertxId, null));
    return started
        .compose(s -> {
          String newId = s.vertxId();
          Deployment scaled = d.withInstances(instances, newId, s.process());
          applications.put(id, scaled);
          synchronized (deployments) {
            int at = deployments.indexOf(d.vertxId());
            if (at >= 0) {
              deployments.set(at, newId);
            }
          }
          return vertx.undeploy(d.vertxId()).map(scaled);
        });
  }

  /** Undeploys an application of this node. */
  public Future<Void> undeploy(String id) {
    adoptMoved();
    Deployment d = applications.get(id);
    if (d == null || d.vertxId() == null) {
      return Future.failedFuture(new java.util.NoSuchElementException("no deployment " + id));
    }
    return vertx.undeploy(d.vertxId()).onSuccess(v -> {
      applications.remove(id);
      synchronized (deployments) {
        if (deployments.remove(d.vertxId())) {
          appsEnd--;
        }
      }
    });
  }

  /** This node's applications, in deployment order. */
  public List<Deployment> applications() {
    adoptMoved();
    synchronized (applications) {
      return applications.values().stream().filter(d -> d.vertxId() != null).toList();
    }
  }

  /**
   * Applications that Vert.x HA moved here from a member that died: Vert.x deployed them, not Strata, so
   * they are adopted when the applications are listed, scaled or undeployed: named after their class
   * (made unique as at start), source {@code "ha"}, and from then on listed, scaled and undeployed as any
   * other (a scaled one is no longer {@code ha}, as a scaled {@code api} one never was).
   */
  private void adoptMoved() {
    if (!vertx.isClustered()) {
      return;
    }
    synchronized (applications) {
      if (applications.values().stream().anyMatch(d -> d.vertxId() == null)) {
        return; // one of ours is being deployed: its Vert.x id is not known yet (the next listing adopts)
      }
    }
    Set<String> known;
    synchronized (deployments) {
      known = new HashSet<>(deployments);
    }
    for (DeploymentContext dc : ((VertxInternal) vertx).deploymentManager().deployments()) {
      DeploymentOptions o = dc.deployment().options();
      if (dc.isChild() || !o.isHa() || known.contains(dc.id())) {
        continue;
      }
      String verticle = dc.deployment().identifier();
      verticle = verticle.substring(verticle.indexOf(':') + 1); // a "java:" prefix, if any
      String base = verticle.substring(verticle.lastIndexOf('.') + 1);
      String id;
      synchronized (applications) {
        String name = base;
        for (int n = 2; applications.containsKey(nodeId() + "-" + name); n++) {
          name = base + "-" + n;
        }
        id = nodeId() + "-" + name;
        JsonObject config = o.getConfig() == null ? new JsonObject() : o.getConfig();
        applications.put(id, new Deployment(id, name, verticle, o.getInstances(), config, "ha",
            System.currentTimeMillis(), dc.id(), null));
      }
      synchronized (deployments) {
        deployments.add(appsEnd++, dc.id());
      }
      LOG.log(System.Logger.Level.INFO, "application {0} was moved here by Vert.x HA from a member that left: "
          + "listed as {1} (source ha)", verticle, id);
    }
  }

  /**
   * A connector's pool over the event loops: one instance per event loop (at most one per connection),
   * each holding its share of the connections and serving the connector's address.
   */
  private Future<Void> deployConnector(ConnectorConfig c) {
    ConnectorOptions options = connectorOptions(c);
    int instances = Math.min(c.pool(), instances(0));
    AtomicInteger next = new AtomicInteger();
    DeploymentOptions o = new DeploymentOptions().setInstances(instances);
    return deployed(vertx.deployVerticle(() -> {
      int i = next.getAndIncrement();
      int share = c.pool() / instances + (i < c.pool() % instances ? 1 : 0);
      return new ConnectorVerticle(options, connectors, share, i * (c.pool() / instances));
    }, o), "connector " + c.name() + " failed to start");
  }

  static ConnectorOptions connectorOptions(ConnectorConfig c) {
    return new ConnectorOptions(c.name(), c.address(), c.hosts(), c.codec(), c.maxFrameBytes(), c.codecOptions(),
        c.correlation() == CorrelationMode.MULTIPLEXED ? Correlation.MULTIPLEXED : Correlation.PIPELINED, c.pool(),
        new ClientOptions(c.correlation() == CorrelationMode.MULTIPLEXED ? Correlation.MULTIPLEXED : Correlation.PIPELINED,
            c.maxInFlight(), c.maxWaiting(), c.requestTimeout().toMillis()),
        c.connectTimeout().toMillis(), c.reconnect().initial().toMillis(), c.reconnect().max().toMillis(),
        c.circuitBreaker().failures(), c.circuitBreaker().reset().toMillis(), c.retries(),
        c.tls() == null ? null : c.tls().clientOptions());
  }

  private Future<Void> deployListener(ListenerConfig l) {
    DeploymentOptions o = new DeploymentOptions().setInstances(instances(l.instances()));
    int maxConnections = budget.maxConnections(l.name());
    String tlsPath = "listeners[" + config.listeners().indexOf(l) + "].tls";
    return deployed(vertx.deployVerticle(() -> new ListenerVerticle(l, maxConnections, registry, observer,
                port -> ports.put(l.name(), port), config.shutdownGrace().toMillis(), tlsReloads, tlsPath), o)
            .onSuccess(id -> listenerDeployments.put(l.name(), id)),
        "listener " + l.name() + " failed to bind " + l.host() + ":" + l.port());
  }

  private Future<Void> deployBridge(BridgeConfig b) {
    BridgeRules rules = BridgeRules.of(b.inbound(), b.outbound(), b.maxFrameBytes(), b.replyTimeout().toMillis(),
        b.maxRegistrations(), b.maxInFlight(), b.token());
    DeploymentOptions o = new DeploymentOptions().setInstances(instances(0));
    int maxConnections = budget.maxConnections(BridgeVerticle.LISTENER_NAME);
    return deployed(vertx.deployVerticle(() -> new BridgeVerticle(b.host(), b.port(), maxConnections, rules, registry,
            port -> ports.put(BridgeVerticle.LISTENER_NAME, port), b.tls() == null ? null : b.tls().serverOptions(),
            listener -> tlsReloads.register("bridge.tls", b.tls(), listener::updateTls)), o),
        "event-bus bridge failed to bind " + b.host() + ":" + b.port());
  }

  /** Records a deployment for {@link #stop}, or fails with what could not start and why. */
  private Future<Void> deployed(Future<String> deployment, String failure) {
    return deployment
        .recover(err -> Future.failedFuture(new IllegalStateException(failure + ": " + err.getMessage(), err)))
        .map(id -> {
          synchronized (deployments) {
            deployments.add(id);
          }
          return null;
        });
  }

  /**
   * Drains one listener: it stops accepting connections (its port is released) and its open
   * connections get the shutdown grace period, then close with reason "shutdown". Other listeners
   * and the applications keep running.
   */
  public Future<Void> drain(String listener) {
    String id = listenerDeployments.remove(listener);
    if (id == null) {
      return Future.failedFuture(new IllegalArgumentException(
          drained.contains(listener) ? "listener " + listener + " is already drained" : "no listener named " + listener));
    }
    drained.add(listener);
    synchronized (deployments) {
      deployments.remove(id);
    }
    ports.remove(listener);
    return vertx.undeploy(id);
  }

  /** Whether {@link #drain(String)} was called for this listener. */
  public boolean drained(String listener) {
    return drained.contains(listener);
  }

  /** The port a listener is bound to, or null when it is not (drained, or not started). */
  public Integer boundPort(String listener) {
    return ports.get(listener);
  }

  /** 0 in config means one per core. */
  static int instances(int configured) {
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  /** The port a listener is bound to (its actual port when configured with 0). */
  public int port(String listener) {
    Integer p = ports.get(listener);
    if (p == null) {
      throw new IllegalArgumentException("no listener named " + listener);
    }
    return p;
  }

  /** The connections a listener (or {@code bridge}) may hold: configured, or its share of the open-file budget. */
  public int maxConnections(String listener) {
    return budget.maxConnections(listener);
  }

  public ConnectionBudget connectionBudget() {
    return budget;
  }

  /** This node's id: {@code n<number>} in a cluster (unique among its members), {@code n0} on its own. */
  public String nodeId() {
    return "n" + registry.node();
  }

  public ConnectionRegistry registry() {
    return registry;
  }

  /** This node's connectors, with their state and figures. */
  public Connectors connectors() {
    return connectors;
  }

  /** The node's TLS servers, for reloading their certificates ({@code POST /api/tls/reload}). */
  public TlsReloads tls() {
    return tlsReloads;
  }

  public StrataConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** One line per listener, for start-up output. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (ListenerConfig l : config.listeners()) {
      String port = ports.getOrDefault(l.name(), l.port()) + (l.udp() ? "/udp" : "");
      lines.add(String.format("listener %-10s %s:%-9s codec %-8s -> %s (%s)", l.name(), l.host(), port, l.codec(),
          l.address(), l.udp() ? "udp, one socket, at most " + l.maxSenders() + " senders"
              : instances(l.instances()) + " instances"));
    }
    for (ConnectorConfig c : config.connectors()) {
      Connector live = connectors.get(c.name());
      lines.add(String.format("connector %-9s %s -> %s  codec %-8s pool %d%s", c.name(), c.address(),
          String.join(",", c.hosts()), c.codec(), c.pool(),
          live == null || live.open() == c.pool() ? "" : "  (" + (live.open() == 0 ? "not connected yet" : live.open()
              + " of " + c.pool() + " connected") + "; retrying)"));
    }
    for (Deployment d : applications()) {
      if (d.process() != null) {
        lines.add(String.format("process  %-10s %s -> %s (%d %s; docs/polyglot.md)", d.name(),
            String.join(" ", d.process().options().command()), d.process().options().address(), d.instances(),
            d.instances() == 1 ? "process" : "processes"));
      }
    }
    BridgeConfig b = config.bridge();
    if (b.enabled()) {
      lines.add(String.format("bridge   %s:%-5d  event bus for other languages (Vert.x TCP bridge protocol)",
          b.host(), ports.getOrDefault(BridgeVerticle.LISTENER_NAME, b.port())));
    }
    return lines;
  }

  /**
   * Stops gracefully. First every listener at once, while the applications still run: they stop
   * accepting and reading, answer what they have read and half-close, within {@code shutdownGrace}
   * ({@link #shutdownReport} says how many connections drained and how many the deadline cut). Then the
   * bridge, the applications and the connectors, in the reverse of their start order.
   */
  public Future<Void> stop() {
    // before all, the other members stop routing requests here and those they sent are answered
    // (a no-op on a node on its own)
    Future<Void> left = MemberRoutes.of(vertx).leave();
    List<String> reversed;
    synchronized (deployments) {
      reversed = new ArrayList<>(deployments);
    }
    java.util.Collections.reverse(reversed);
    java.util.Set<String> listeners = new java.util.HashSet<>(listenerDeployments.values());
    reversed.removeAll(listeners);
    Future<Void> chain = left.compose(x -> Future.all(listeners.stream()
            .map(id -> vertx.undeploy(id).recover(err -> Future.succeededFuture())).toList()))
        .mapEmpty();
    for (String id : reversed) {
      chain = chain.compose(v -> vertx.undeploy(id).recover(err -> Future.succeededFuture()));
    }
    // its connections are gone: other members' pushes to them now find no push consumer (NO_HANDLERS)
    chain = chain.compose(v -> PushRoutes.of(vertx).leave().otherwiseEmpty());
    return chain.onComplete(ar -> {
      tlsReloads.close();
      synchronized (deployments) {
        deployments.clear();
        appsEnd = 0;
      }
      listenerDeployments.clear();
      applications.clear();
    });
  }

  /** Where {@link #reload()} reads the configuration from (the file this node was started with). */
  public void configFile(java.nio.file.Path file) {
    this.configFile = file;
  }

  /**
   * Re-reads the configuration file (with the environment's and properties' overrides, as at start)
   * and applies {@link #reload(StrataConfig)}. An invalid file changes nothing: the future fails with
   * the {@code ConfigException} naming the key.
   */
  public Future<io.vertx.core.json.JsonObject> reload() {
    java.nio.file.Path file = configFile;
    if (file == null) {
      return Future.failedFuture(new IllegalStateException("this node was not started from a configuration file"));
    }
    return dev.strata.config.ConfigLoader.load(vertx, file).compose(this::reload);
  }

  /**
   * Applies {@code next}'s listeners without a restart: listeners it no longer has are drained (as at
   * a graceful stop: they stop accepting and reading, answer what they read, half-close); new ones
   * start; a listener whose settings changed (port, codec, limits, anything) is drained and started
   * again with the new ones. Listeners that did not change, and their connections, are not touched.
   * Other sections (apps, connectors, bridge, admin, cluster, limits) are not applied: the answer
   * lists those that differ under {@code restartNeeded}.
   */
  public Future<io.vertx.core.json.JsonObject> reload(StrataConfig next) {
    StrataConfig current = config;
    Map<String, ListenerConfig> before = new LinkedHashMap<>();
    current.listeners().forEach(l -> before.put(l.name(), l));
    Map<String, ListenerConfig> after = new LinkedHashMap<>();
    next.listeners().forEach(l -> after.put(l.name(), l));
    List<String> removed = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> added = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    before.forEach((name, l) -> {
      ListenerConfig n = after.get(name);
      if (n == null) {
        removed.add(name);
      } else if (n.equals(l)) {
        unchanged.add(name);
      } else {
        changed.add(name);
      }
    });
    after.keySet().stream().filter(n -> !before.containsKey(n)).forEach(added::add);
    io.vertx.core.json.JsonArray restart = new io.vertx.core.json.JsonArray();
    java.util.function.BiConsumer<String, Boolean> differs = (key, same) -> {
      if (!same) {
        restart.add(key);
      }
    };
    differs.accept("apps", current.apps().equals(next.apps()));
    differs.accept("connectors", current.connectors().equals(next.connectors()));
    differs.accept("bridge", current.bridge().equals(next.bridge()));
    differs.accept("admin", current.admin().equals(next.admin()));
    differs.accept("cluster", current.cluster().equals(next.cluster()));
    differs.accept("limits", current.limits().equals(next.limits()));
    differs.accept("shutdownGrace", current.shutdownGrace().equals(next.shutdownGrace()));

    StrataConfig applied = new StrataConfig(next.listeners(), current.connectors(), current.apps(), current.admin(),
        current.cluster(), current.bridge(), current.limits(), current.shutdownGrace());
    ConnectionBudget plan = ConnectionBudget.plan(applied, budget.fileLimit());
    for (String name : removed) {
      retire(name);
    }
    for (String name : changed) {
      retire(name); // its connections drain in the background, within shutdownGrace
    }
    Future<Void> chain = Future.succeededFuture();
    config = applied;
    budget = plan;
    plan.warnings().forEach(w -> LOG.log(System.Logger.Level.WARNING, w));
    for (String name : changed) {
      chain = chain.compose(v -> deployListenerRebinding(after.get(name), 0));
    }
    for (String name : added) {
      chain = chain.compose(v -> deployListenerRebinding(after.get(name), 0)); // maybe a removed one's port
    }
    io.vertx.core.json.JsonObject report = new io.vertx.core.json.JsonObject()
        .put("added", new io.vertx.core.json.JsonArray(added)).put("removed", new io.vertx.core.json.JsonArray(removed))
        .put("changed", new io.vertx.core.json.JsonArray(changed))
        .put("unchanged", new io.vertx.core.json.JsonArray(unchanged)).put("restartNeeded", restart);
    LOG.log(System.Logger.Level.INFO, "reload: {0}", report.encode());
    return chain.map(report);
  }

  /** Drains a listener for a reload: like {@link #drain(String)}, but it is not shown as drained. */
  private Future<Void> retire(String listener) {
    String id = listenerDeployments.remove(listener);
    drained.remove(listener);
    if (id == null) {
      return Future.succeededFuture();
    }
    synchronized (deployments) {
      deployments.remove(id);
    }
    ports.remove(listener);
    return vertx.undeploy(id);
  }

  /**
   * Starts a listener whose previous self is draining: its port may be released a moment after the
   * drain began, so a bind refused as "in use" is tried again, for up to a second.
   */
  private Future<Void> deployListenerRebinding(ListenerConfig l, int attempt) {
    return deployListener(l).recover(err -> {
      if (attempt < 20 && String.valueOf(err.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("in use")) {
        io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
        vertx.setTimer(50, id -> deployListenerRebinding(l, attempt + 1).onComplete(later));
        return later.future();
      }
      return Future.failedFuture(err);
    });
  }

  /** What the last {@link #stop} did to the listeners' connections, as one line. */
  public String shutdownReport() {
    return registry.shutdownTally().describe(config.shutdownGrace().toMillis());
  }

  Map<String, Integer> ports() {
    return new LinkedHashMap<>(ports);
  }
}
