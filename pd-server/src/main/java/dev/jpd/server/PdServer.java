package dev.jpd.server;

import dev.jpd.core.label.RegionLabeler;
import dev.jpd.core.storage.MetaStore;
import dev.jpd.core.storage.RegionStorage;
import dev.jpd.proto.Pdpb;
import dev.jpd.checker.CheckerChain;
import dev.jpd.checker.patrol.PatrolService;
import dev.jpd.core.operator.Operators;
import dev.jpd.server.cluster.BuilderClusterView;
import dev.jpd.server.cluster.ClusterHealth;
import dev.jpd.server.cluster.ClusterMetrics;
import dev.jpd.server.cluster.MinResolvedTs;
import dev.jpd.server.cluster.StoreLifecycle;
import dev.jpd.server.cluster.RaftCluster;
import dev.jpd.server.config.ConfigStore;
import dev.jpd.core.placement.RuleManager;
import dev.jpd.server.config.LiveConfig;
import dev.jpd.server.config.PdConfig;
import java.util.concurrent.atomic.AtomicReference;
import dev.jpd.server.gc.GcSafePoints;
import dev.jpd.server.grpc.HeartbeatStreams;
import dev.jpd.server.grpc.PdGrpcService;
import dev.jpd.server.http.CheckerRoutes;
import dev.jpd.server.http.ConfigRoutes;
import dev.jpd.server.http.HttpApi;
import dev.jpd.server.http.LabelRuleJson;
import dev.jpd.server.http.OperatorCreation;
import dev.jpd.server.http.OperatorRoutes;
import dev.jpd.server.http.RegionLabelRoutes;
import dev.jpd.server.http.RegionRoutes;
import dev.jpd.server.http.ReplicationRoutes;
import dev.jpd.server.http.RuleRoutes;
import dev.jpd.server.http.StatusRoutes;
import dev.jpd.server.http.StoreLimitRoutes;
import dev.jpd.server.http.StoreRoutes;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.jpd.server.id.IdAllocator;
import dev.jpd.server.storage.EtcdMetaStore;
import dev.jpd.server.storage.MvStoreMetaStore;
import dev.jpd.server.storage.MvStoreRegionStorage;
import dev.jpd.server.tso.TsoAllocator;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PD member: opens its storage (embedded MVStore in the data dir, or etcd), loads or creates
 * the cluster id, loads the cluster, syncs the TSO window, and serves {@code pdpb.PD} (plus the
 * standard gRPC health service) and the HTTP API, and runs the operator controller
 * ({@link OperatorWiring}) and the checkers' patrol ({@link CheckerWiring}). {@link #close}
 * undoes it in reverse order and is safe to call twice (SIGTERM and an explicit close may race).
 *
 * <p>Single member for now: it is always the leader. Leader election through an etcd lease comes
 * with multi-member support; until then run one PD per etcd cluster prefix.
 */
public final class PdServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PdServer.class);
  /** How often expired region labels are removed from storage too (PD: hourly). */
  private static final Duration LABEL_GC_INTERVAL = Duration.ofHours(1);
  public static final String VERSION = "8.5.0-jpd";

  private final ServerOptions options;
  private final List<AutoCloseable> closers = new ArrayList<>();
  private final ScheduledExecutorService background;
  private final MetaStore meta;
  private final RaftCluster cluster;
  private final RegionLabeler regionLabeler;
  private final ClusterHealth clusterHealth;
  private final StoreLifecycle storeLifecycle;
  private final TsoAllocator tso;
  private final IdAllocator ids;
  private final GcSafePoints gc;
  private final OperatorWiring operators;
  private final CheckerWiring checkers;
  private final Server grpc;
  private final HealthStatusManager health = new HealthStatusManager();
  // Known once the gRPC port is bound; GetMembers waits for the health status anyway.
  private volatile Pdpb.Member member;
  private final LiveConfig config;
  private final RuleManager ruleManager;
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpApi http;
  private boolean closed;

  private PdServer(ServerOptions options, Clock clock) throws IOException {
    this.options = options;
    Files.createDirectories(options.dataDir());
    background =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "pd-background");
              t.setDaemon(true);
              return t;
            });
    closers.add(() -> shutdown(background));
    try {
      meta =
          options.etcdEndpoints().isEmpty()
              ? MvStoreMetaStore.open(options.dataDir())
              : EtcdMetaStore.connect(options.etcdEndpoints(), options.etcdTimeout());
      closers.add(meta);
      long clusterId = ClusterIds.loadOrCreate(meta, clock);
      RegionStorage regionStorage =
          MvStoreRegionStorage.open(options.dataDir(), background);
      closers.add(regionStorage);
      cluster = new RaftCluster(clusterId, meta, regionStorage, clock);
      cluster.load();
      regionLabeler =
          new RegionLabeler(meta, cluster.keys(), LabelRuleJson.INSTANCE, clock).load();
      background.scheduleWithFixedDelay(
          this::gcRegionLabels, LABEL_GC_INTERVAL.toMillis(), LABEL_GC_INTERVAL.toMillis(),
          TimeUnit.MILLISECONDS);
      config = new LiveConfig(
          ConfigStore.loadPersisted(meta, cluster.keys().config(), options.config()));
      ConfigStore configStore = new ConfigStore(meta, cluster.keys().config(), config);
      ruleManager = new RuleManager(meta, clusterId, replicationOf(config.current()),
          () -> clock.millis() / 1000);
      AtomicReference<RuleManager.Replication> lastReplication =
          new AtomicReference<>(replicationOf(config.current()));
      config.addListener(c -> {
        RuleManager.Replication now = replicationOf(c);
        ruleManager.updateReplication(lastReplication.getAndSet(now), now);
      });
      // Region statistics, store lifecycle and their gauges: before gRPC, so no heartbeat is missed.
      clusterHealth =
          new ClusterHealth(cluster, config, clock).useRules(ruleManager).start();
      storeLifecycle = new StoreLifecycle(cluster, meta, config, clusterHealth);
      storeLifecycle.loadWeights();
      cluster.onStoreHeartbeat(storeLifecycle::storeHeartbeatSeen);
      storeLifecycle.afterEachCheck(
          new ClusterMetrics(cluster, clusterHealth, config, metrics)::refresh);
      storeLifecycle.start(background, StoreLifecycle.CHECK_INTERVAL);
      closers.add(storeLifecycle::stop);
      ids = new IdAllocator(meta, cluster.keys(), IdAllocator.DEFAULT_STEP);
      tso =
          new TsoAllocator(
              meta,
              cluster.keys(),
              clock,
              background,
              options.tsoSaveInterval(),
              options.tsoUpdatePhysicalInterval(),
              List.of(),
              ServerMetrics.tsoEvents(metrics));
      tso.start();
      closers.add(tso::stop);
      gc = new GcSafePoints(meta, cluster.keys(), clock);
      MinResolvedTs minResolvedTs =
          new MinResolvedTs(
              meta, cluster.keys(), clock, options.minResolvedTsPersistenceInterval());
      HeartbeatStreams streams = new HeartbeatStreams();
      operators = new OperatorWiring(cluster, config, streams, clock, metrics, background);
      closers.add(operators);
      storeLifecycle.afterEachBurial(operators::storeBuried);
      checkers = new CheckerWiring(cluster, config, ids, operators.operators(), clusterHealth,
          new CheckerSeams(regionLabeler, operators::storeLimitExceeded,
              operators::addPeerAvailable),
          clock, metrics, ruleManager);
      closers.add(checkers);
      // a label rule written: the checkers look at its regions soon (deny labels, new boundaries)
      regionLabeler.onRangesChanged(checkers.patrol()::addSuspectKeyRange);

      grpc =
          NettyServerBuilder.forAddress(
                  new InetSocketAddress(options.clientHost(), options.clientPort()))
              .maxInboundMessageSize(options.maxRequestBytes())
              .addService(
                  new PdGrpcService(
                      cluster,
                      ids,
                      tso,
                      gc,
                      minResolvedTs,
                      this::member,
                      // The live value: max-replicas may be set through the API before bootstrap.
                      () -> Math.toIntExact(config.current().replication().maxReplicas()),
                      streams,
                      operators.operators(),
                      metrics))
              .addService(health.getHealthService())
              .build()
              .start();
      closers.add(this::stopGrpc);
      member = buildMember(clusterId);
      health.setStatus("", io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
      bindJvmMetrics();
      http = options.httpPort() < 0 ? null : new HttpApi();
      if (http != null) {
        StatusRoutes.register(http, this, metrics);
        RegionRoutes.register(http, this);
        ConfigRoutes.register(http, configStore);
        StoreRoutes.register(http, cluster, clusterHealth, storeLifecycle);
        StoreLimitRoutes.register(http, cluster, configStore);
        CheckerRoutes.register(http, cluster, checkers.chain(), checkers.patrol());
        RegionLabelRoutes.register(http, cluster, regionLabeler);
        RuleRoutes.register(http, cluster, ruleManager, config);
        ReplicationRoutes.register(http, cluster, ruleManager, config, checkers.patrol());
        OperatorRoutes.register(http, operators.operators(), operators::waiting,
            new OperatorCreation(cluster, new BuilderClusterView(cluster, ids, config, clock),
                operators.operators(), clock));
        http.start(options.httpHost(), options.httpPort());
        closers.add(http);
      }
    } catch (RuntimeException | IOException e) {
      closeAll();
      throw e;
    }
    LOG.info(
        "pd server started name={} cluster-id={} member-id={} grpc={} http={} storage={}",
        options.name(),
        Long.toUnsignedString(cluster.clusterId()),
        Long.toUnsignedString(member.getMemberId()),
        grpcAddress(),
        http == null ? "off" : http.address(),
        options.etcdEndpoints().isEmpty() ? "embedded:" + options.dataDir() : "etcd:" + options.etcdEndpoints());
    // up and serving: now the JIT may compile the repair path in the background (repair-warmup)
    checkers.startWarmup();
  }

  private void bindJvmMetrics() {
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    new UptimeMetrics().bindTo(metrics);
    ServerMetrics.bindProcess(metrics);
    ServerMetrics.bindIdAllocator(metrics, ids);
    JvmGcMetrics gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(metrics);
    closers.add(gcMetrics);
  }

  /** The placement rules, loaded at start; the default rule follows {@code [replication]}. */
  public RuleManager ruleManager() {
    return ruleManager;
  }

  private static RuleManager.Replication replicationOf(PdConfig c) {
    return new RuleManager.Replication((int) c.replication().maxReplicas(),
        c.replication().locationLabels(), c.replication().isolationLevel());
  }

  /** The configuration in force; schedule and replication keys change at run time. */
  public LiveConfig config() {
    return config;
  }

  /** The Prometheus registry behind {@code /metrics}; gauges keep PD's names and labels. */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /** Starts a member; on failure everything opened so far is closed again. */
  public static PdServer start(ServerOptions options, Clock clock) throws IOException {
    return new PdServer(options, clock);
  }

  private Pdpb.Member buildMember(long clusterId) {
    List<String> clientUrls =
        options.advertiseClientUrls().isEmpty() || options.clientPort() == 0
            ? List.of("http://" + options.clientHost() + ":" + grpcPort())
            : options.advertiseClientUrls();
    return Pdpb.Member.newBuilder()
        .setName(options.name())
        .setMemberId(ClusterIds.memberId(options.name(), options.advertisePeerUrls()))
        .addAllPeerUrls(options.advertisePeerUrls())
        .addAllClientUrls(clientUrls)
        .setBinaryVersion(VERSION)
        .setDeployPath(options.dataDir().toAbsolutePath().normalize().toString())
        .setDcLocation("global")
        .build();
  }

  public int grpcPort() {
    return grpc.getPort();
  }

  public String grpcAddress() {
    return options.clientHost() + ":" + grpcPort();
  }

  /** The HTTP listener's port, or -1 when HTTP is off. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  public Pdpb.Member member() {
    return member;
  }

  /** The region-label rules (PD's RegionLabeler), loaded from the meta store at start. */
  public RegionLabeler regionLabeler() {
    return regionLabeler;
  }

  private void gcRegionLabels() {
    try {
      regionLabeler.gcExpired();
    } catch (RuntimeException e) {
      LOG.warn("region labeler GC failed error=\"{}\"", e.toString());
    }
  }

  public RaftCluster cluster() {
    return cluster;
  }

  /** The operator controller: running operators, records, dispatch. */
  public Operators operators() {
    return operators.operators();
  }

  /** The checker chain: dry runs ({@code diagnose}), pauses, the split record. */
  public CheckerChain checkerChain() {
    return checkers.chain();
  }

  /** The patrol loop over the regions. */
  public PatrolService patrol() {
    return checkers.patrol();
  }

  /** What the repair warm-up of this member did ({@code repair-warmup}); for tests. */
  CheckerWiring.Warmup repairWarmup() {
    return checkers.warmup();
  }

  /** Region statistics and derived store states. */
  public ClusterHealth clusterHealth() {
    return clusterHealth;
  }

  /** Store state changes and the periodic store check (tests drive {@code checkStores()}). */
  public StoreLifecycle storeLifecycle() {
    return storeLifecycle;
  }

  public long clusterId() {
    return cluster.clusterId();
  }

  public ServerOptions options() {
    return options;
  }

  /** Blocks until the gRPC server has terminated (after {@link #close}). */
  public void awaitTermination() throws InterruptedException {
    grpc.awaitTermination();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("pd server stopping name={}", options.name());
    closeAll();
    LOG.info("pd server stopped name={}", options.name());
  }

  private void closeAll() {
    health.enterTerminalState();
    for (int i = closers.size() - 1; i >= 0; i--) {
      try {
        closers.get(i).close();
      } catch (Exception e) {
        LOG.warn("error while stopping: {}", e.toString());
      }
    }
    closers.clear();
  }

  private void stopGrpc() throws InterruptedException {
    grpc.shutdown();
    if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
      grpc.shutdownNow();
      grpc.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static void shutdown(ScheduledExecutorService e) throws InterruptedException {
    e.shutdown();
    if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
      e.shutdownNow();
    }
  }

}
