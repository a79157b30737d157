package dev.overseer.metrics;

import dev.overseer.ChildInfo;
import dev.overseer.ChildStatus;
import dev.overseer.CrashReport;
import dev.overseer.DynamicSupervisor;
import dev.overseer.ExitReason;
import dev.overseer.Overseer;
import dev.overseer.SupervisorBase;
import dev.overseer.SupervisorEvent;
import dev.overseer.server.Server;
import dev.overseer.server.ServerObserver;
import dev.overseer.stash.Stash;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer meters for the supervisors, servers and stashes of one Vert.x instance. Built from
 * the outside: it listens to every supervisor's lifecycle events
 * ({@link Overseer#addEventListener}), observes servers' mailboxes
 * ({@link Overseer#setServerObserver}), and decorates stashes ({@link #meter(Stash, String)}).
 *
 * <pre>{@code
 * OverseerMetrics metrics = OverseerMetrics.bind(vertx, registry);   // or bind(vertx): the
 *                                                                     // registry vertx-micrometer-metrics set up
 * Stash stash = metrics.meter(new LocalStash(vertx), "local");        // give servers this one
 * }</pre>
 *
 * <p>Meters (names after the prefix, {@code overseer} by default):
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 * <tr><td>{@code .children}</td><td>gauge</td><td>supervisor, status</td><td>children by {@link ChildStatus}</td></tr>
 * <tr><td>{@code .crashes}</td><td>counter</td><td>supervisor, child, reason</td><td>abnormal exits; reason is the exception class (a server's: the class that crashed it)</td></tr>
 * <tr><td>{@code .restarts}</td><td>counter</td><td>supervisor, child</td><td>restarts by the strategy</td></tr>
 * <tr><td>{@code .start.failures}</td><td>counter</td><td>supervisor, child</td><td>starts and restarts that failed</td></tr>
 * <tr><td>{@code .max.intensity}</td><td>counter</td><td>supervisor</td><td>times a supervisor gave up</td></tr>
 * <tr><td>{@code .restart.latency}</td><td>timer</td><td>supervisor, child</td><td>from a crash to the child serving again</td></tr>
 * <tr><td>{@code .server.calls}</td><td>timer</td><td>server, outcome</td><td>call latency, arrival to answer</td></tr>
 * <tr><td>{@code .server.mailbox}</td><td>gauge</td><td>server</td><td>messages waiting</td></tr>
 * <tr><td>{@code .stash.operations}</td><td>timer</td><td>stash, operation, outcome</td><td>latency of each stash call</td></tr>
 * <tr><td>{@code .stash.failures}</td><td>counter</td><td>stash, operation, reason</td><td>failed stash calls</td></tr>
 * <tr><td>{@code .stash.quarantined}</td><td>gauge</td><td>stash</td><td>entries in quarantine</td></tr>
 * </table>
 *
 * <p>Tag cardinality is bounded by default (see {@link OverseerMetricsOptions}): a child of a
 * dynamic supervisor is tagged {@code child=dynamic}, a server with its class.
 */
public final class OverseerMetrics implements AutoCloseable {

  /** The {@code child} tag of children of dynamic supervisors unless {@link OverseerMetricsOptions#setDynamicChildTags}. */
  public static final String DYNAMIC_CHILD = "dynamic";

  private final Vertx vertx;
  private final MeterRegistry registry;
  private final OverseerMetricsOptions options;
  private final Handler<SupervisorEvent> listener = this::onEvent;
  private final Map<String, Map<ChildStatus, AtomicLong>> children = new ConcurrentHashMap<>();
  private final Map<String, Boolean> dynamic = new ConcurrentHashMap<>();
  private final Map<String, Long> crashedAt = new ConcurrentHashMap<>();
  // weak: a server that crashed with messages queued never reports its mailbox empty again
  private final Map<Server<?>, Integer> depths = Collections.synchronizedMap(new WeakHashMap<>());
  private final Map<String, Boolean> mailboxGauges = new ConcurrentHashMap<>();
  private final List<Meter> gauges = new ArrayList<>();
  private final ServerObserver observer = new ServerObserver() {
    @Override
    public void callCompleted(Server<?> server, long nanos, boolean failed) {
      Timer.builder(name("server.calls")).tags("server", serverTag(server), "outcome", failed ? "failure" : "success")
          .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void mailboxDepth(Server<?> server, int depth) {
      String tag = serverTag(server);
      mailboxGauges.computeIfAbsent(tag, t -> {
        synchronized (gauges) {
          gauges.add(Gauge.builder(name("server.mailbox"), depths, d -> sumDepth(d, t)).tags("server", t).register(registry));
        }
        return true;
      });
      if (depth == 0) {
        depths.remove(server);
      } else {
        depths.put(server, depth);
      }
    }
  };

  private OverseerMetrics(Vertx vertx, MeterRegistry registry, OverseerMetricsOptions options) {
    this.vertx = vertx;
    this.registry = registry;
    this.options = new OverseerMetricsOptions(options);
  }

  /**
   * Meters every supervisor and server of {@code vertx} in {@code registry}, with the default options.
   *
   * @param vertx the Vert.x instance
   * @param registry where meters go
   * @return the binding; {@link #close()} stops it
   */
  public static OverseerMetrics bind(Vertx vertx, MeterRegistry registry) {
    return bind(vertx, registry, new OverseerMetricsOptions());
  }

  /**
   * Meters every supervisor and server of {@code vertx} in {@code registry}. Servers report their
   * calls from their next start on: bind before deploying them.
   *
   * @param vertx the Vert.x instance
   * @param registry where meters go
   * @param options names and tags
   * @return the binding; {@link #close()} stops it
   */
  public static OverseerMetrics bind(Vertx vertx, MeterRegistry registry, OverseerMetricsOptions options) {
    OverseerMetrics metrics = new OverseerMetrics(Objects.requireNonNull(vertx, "vertx"),
        Objects.requireNonNull(registry, "registry"), Objects.requireNonNull(options, "options"));
    Overseer.addEventListener(vertx, metrics.listener);
    Overseer.setServerObserver(vertx, metrics.observer);
    for (SupervisorBase supervisor : SupervisorBase.all(vertx)) {
      metrics.refreshChildren(supervisor.name());
    }
    return metrics;
  }

  /**
   * Meters into the registry that vertx-micrometer-metrics set up for Vert.x
   * ({@code new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)...)}),
   * so Overseer's meters are published beside Vert.x's own.
   *
   * @param vertx the Vert.x instance
   * @return the binding
   * @throws IllegalStateException when vertx-micrometer-metrics set up no default registry
   */
  public static OverseerMetrics bind(Vertx vertx) {
    MeterRegistry registry = io.vertx.micrometer.backends.BackendRegistries.getDefaultNow();
    if (registry == null) {
      throw new IllegalStateException("no default registry: enable vertx-micrometer-metrics in VertxOptions, "
          + "or pass a MeterRegistry to bind(vertx, registry)");
    }
    return bind(vertx, registry);
  }

  /**
   * Decorates a stash so that each call is timed and each failure counted, and the quarantine is
   * gauged. Hand the decorated stash to servers ({@code ServerOptions}/constructor) or make it
   * the default ({@link Overseer#setDefaultStash}).
   *
   * @param stash the stash to meter
   * @param name the {@code stash} tag, e.g. {@code "local"} or {@code "hazelcast"}
   * @return the metered stash
   */
  public Stash meter(Stash stash, String name) {
    MeteredStash metered = new MeteredStash(Objects.requireNonNull(stash, "stash"), Objects.requireNonNull(name, "name"),
        registry, options.getPrefix());
    synchronized (gauges) {
      gauges.add(metered.quarantineGauge());
    }
    return metered;
  }

  /** Stops listening and observing and removes the gauges; counters and timers stay in the registry. */
  @Override
  public void close() {
    Overseer.removeEventListener(vertx, listener);
    if (Overseer.serverObserver(vertx) == observer) {
      Overseer.setServerObserver(vertx, ServerObserver.NONE);
    }
    synchronized (gauges) {
      gauges.forEach(registry::remove);
      gauges.clear();
    }
  }

  private String name(String suffix) {
    return options.getPrefix() + "." + suffix;
  }

  private String serverTag(Server<?> server) {
    return options.isServerNameTags() ? server.name() : server.getClass().getName();
  }

  private double sumDepth(Map<Server<?>, Integer> depths, String tag) {
    double sum = 0;
    synchronized (depths) {
      for (Map.Entry<Server<?>, Integer> e : depths.entrySet()) {
        if (serverTag(e.getKey()).equals(tag)) {
          sum += e.getValue();
        }
      }
    }
    return sum;
  }

  private void onEvent(SupervisorEvent event) {
    String supervisor = event.supervisor();
    String child = event.childId() == null ? null : childTag(supervisor, event.childId());
    String key = supervisor + "\u0000" + event.childId();
    switch (event.type()) {
      case CHILD_EXITED:
        if (event.reason() != null && event.reason().isAbnormal()) {
          Counter.builder(name("crashes")).tags("supervisor", supervisor, "child", child, "reason", reasonClass(event.reason()))
              .register(registry).increment();
          crashedAt.put(key, System.nanoTime());
        }
        break;
      case CHILD_RESTARTED:
        Counter.builder(name("restarts")).tags("supervisor", supervisor, "child", child).register(registry).increment();
        Long crashed = crashedAt.remove(key);
        if (crashed != null) {
          Timer.builder(name("restart.latency")).tags("supervisor", supervisor, "child", child)
              .register(registry).record(System.nanoTime() - crashed, TimeUnit.NANOSECONDS);
        }
        break;
      case START_FAILED:
        Counter.builder(name("start.failures")).tags("supervisor", supervisor, "child", child).register(registry).increment();
        break;
      case MAX_INTENSITY_REACHED:
        Counter.builder(name("max.intensity")).tags("supervisor", supervisor).register(registry).increment();
        break;
      case CHILD_TERMINATED:
        crashedAt.remove(key);
        break;
      case SUPERVISOR_STOPPED:
        crashedAt.keySet().removeIf(k -> k.startsWith(supervisor + "\u0000"));
        dynamic.remove(supervisor);
        Map<ChildStatus, AtomicLong> counts = children.get(supervisor);
        if (counts != null) {
          counts.values().forEach(c -> c.set(0));
        }
        return;
      default:
        break;
    }
    refreshChildren(supervisor);
  }

  private String childTag(String supervisor, String childId) {
    if (options.isDynamicChildTags()) {
      return childId;
    }
    boolean isDynamic = dynamic.computeIfAbsent(supervisor,
        s -> SupervisorBase.lookup(vertx, s).map(sup -> sup instanceof DynamicSupervisor).orElse(false));
    return isDynamic ? DYNAMIC_CHILD : childId;
  }

  private static String reasonClass(ExitReason reason) {
    Throwable cause = reason.cause();
    if (cause instanceof CrashReport.Carrier) {
      // a server's crash is wrapped: what matters is what crashed it
      cause = ((CrashReport.Carrier) cause).crashReport().reason();
    }
    return cause == null ? "unknown" : cause.getClass().getName();
  }

  private void refreshChildren(String supervisor) {
    SupervisorBase.lookup(vertx, supervisor).ifPresent(sup -> sup.whichChildren().onSuccess(list -> {
      Map<ChildStatus, AtomicLong> counts = children.computeIfAbsent(supervisor, this::childGauges);
      Map<ChildStatus, Long> now = new EnumMap<>(ChildStatus.class);
      for (ChildInfo info : list) {
        now.merge(info.status(), 1L, Long::sum);
      }
      counts.forEach((status, gauge) -> gauge.set(now.getOrDefault(status, 0L)));
    }));
  }

  private Map<ChildStatus, AtomicLong> childGauges(String supervisor) {
    Map<ChildStatus, AtomicLong> counts = new EnumMap<>(ChildStatus.class);
    for (ChildStatus status : ChildStatus.values()) {
      AtomicLong value = new AtomicLong();
      counts.put(status, value);
      synchronized (gauges) {
        gauges.add(Gauge.builder(name("children"), value, AtomicLong::get)
            .tags(Tags.of("supervisor", supervisor, "status", status.name().toLowerCase())).register(registry));
      }
    }
    return counts;
  }
}
