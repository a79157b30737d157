package dev.overseer.health;

import dev.overseer.ChildInfo;
import dev.overseer.ChildStatus;
import dev.overseer.Overseer;
import dev.overseer.SupervisorBase;
import dev.overseer.SupervisorEvent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Whether each supervisor of a Vert.x instance is healthy. A supervisor is <b>UP</b> while it
 * runs within its restart intensity, and <b>DOWN</b> once it gave up (it exceeded its intensity
 * and exited abnormally: it stays DOWN until a supervisor of that name starts again) or while a
 * child has been restarting for longer than a threshold (a start that keeps failing, or a long
 * backoff).
 *
 * <p>Reads supervisors afresh on every check; remembers only which supervisors gave up and since
 * when each restarting child has been seen restarting. Use it directly, through
 * {@link OverseerHealthChecks} (vertx-health-check), or through the web console's
 * {@code /health}.
 */
public final class SupervisorHealth implements AutoCloseable {

  /** Default time a child may stay restarting before its supervisor is DOWN: 30 s. */
  public static final Duration DEFAULT_RESTARTING_THRESHOLD = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final long thresholdMillis;
  private final LongSupplier clock;
  private final Map<String, String> gaveUp = new ConcurrentHashMap<>();
  private final Map<String, Long> restartingSince = new ConcurrentHashMap<>();
  private final Handler<SupervisorEvent> listener = this::onEvent;

  private SupervisorHealth(Vertx vertx, Duration threshold, LongSupplier clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    if (threshold.isNegative()) {
      throw new IllegalArgumentException("threshold: must not be negative, got " + threshold);
    }
    this.thresholdMillis = threshold.toMillis();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Watches the supervisors of {@code vertx} with the default threshold.
   *
   * @param vertx the Vert.x instance
   * @return the watcher; {@link #close()} stops it
   */
  public static SupervisorHealth watch(Vertx vertx) {
    return watch(vertx, DEFAULT_RESTARTING_THRESHOLD);
  }

  /**
   * Watches the supervisors of {@code vertx}.
   *
   * @param vertx the Vert.x instance
   * @param restartingThreshold how long a child may stay restarting before its supervisor is DOWN
   * @return the watcher; {@link #close()} stops it
   */
  public static SupervisorHealth watch(Vertx vertx, Duration restartingThreshold) {
    return watch(vertx, restartingThreshold, System::currentTimeMillis);
  }

  /**
   * Watches the supervisors of {@code vertx}, with a clock (for tests).
   *
   * @param vertx the Vert.x instance
   * @param restartingThreshold how long a child may stay restarting before its supervisor is DOWN
   * @param clockMillis the time in milliseconds
   * @return the watcher; {@link #close()} stops it
   */
  public static SupervisorHealth watch(Vertx vertx, Duration restartingThreshold, LongSupplier clockMillis) {
    SupervisorHealth health = new SupervisorHealth(vertx, restartingThreshold, clockMillis);
    Overseer.addEventListener(vertx, health.listener);
    return health;
  }

  /**
   * The rule, on its own: what makes a supervisor DOWN.
   *
   * @param gaveUpReason why it gave up, or {@code null} while it runs
   * @param restartingForMillis how long its longest-restarting child has been restarting, 0 if none
   * @param thresholdMillis how long a child may stay restarting
   * @return {@code null} when UP, else why it is DOWN
   */
  public static String verdict(String gaveUpReason, long restartingForMillis, long thresholdMillis) {
    if (gaveUpReason != null) {
      return "gave up: " + gaveUpReason;
    }
    if (restartingForMillis > thresholdMillis) {
      return "a child has been restarting for " + restartingForMillis + " ms (threshold " + thresholdMillis + " ms)";
    }
    return null;
  }

  private void onEvent(SupervisorEvent event) {
    String supervisor = event.supervisor();
    switch (event.type()) {
      case SUPERVISOR_STARTED:
        gaveUp.remove(supervisor);
        break;
      case SUPERVISOR_STOPPED:
        forget(supervisor);
        if (event.reason() != null && event.reason().isAbnormal()) {
          gaveUp.put(supervisor, String.valueOf(event.reason().cause() == null ? "failure" : event.reason().cause().getMessage()));
        } else {
          gaveUp.remove(supervisor);
        }
        break;
      default:
        break;
    }
  }

  private void forget(String supervisor) {
    restartingSince.keySet().removeIf(k -> k.startsWith(supervisor + "\u0000"));
  }

  /** @return the names of the supervisors running now and of those that gave up, sorted */
  public Set<String> names() {
    Set<String> names = new TreeSet<>(gaveUp.keySet());
    SupervisorBase.all(vertx).forEach(s -> names.add(s.name()));
    return names;
  }

  /**
   * Checks one supervisor.
   *
   * @param name the supervisor's name
   * @return {@code {"supervisor", "status": "UP"|"DOWN", "reason"?, "intensityUsed"?, "intensity"?,
   *     "restarting"?: [child ids]}}; fails when no supervisor of that name runs or gave up
   */
  public Future<JsonObject> check(String name) {
    String reason = gaveUp.get(name);
    if (reason != null) {
      return Future.succeededFuture(new JsonObject().put("supervisor", name).put("status", "DOWN")
          .put("reason", verdict(reason, 0, thresholdMillis)));
    }
    SupervisorBase supervisor = SupervisorBase.lookup(vertx, name).orElse(null);
    if (supervisor == null) {
      return Future.failedFuture(new IllegalArgumentException("no supervisor named '" + name + "' runs here"));
    }
    return supervisor.whichChildren().map(children -> judge(supervisor, children));
  }

  private JsonObject judge(SupervisorBase supervisor, List<ChildInfo> children) {
    long now = clock.getAsLong();
    long longest = 0;
    JsonArray restarting = new JsonArray();
    Set<String> seen = new TreeSet<>();
    for (ChildInfo child : children) {
      String key = supervisor.name() + "\u0000" + child.id();
      if (child.status() == ChildStatus.RESTARTING) {
        long since = restartingSince.computeIfAbsent(key, k -> now);
        longest = Math.max(longest, now - since);
        restarting.add(child.id());
        seen.add(key);
      }
    }
    restartingSince.keySet().removeIf(k -> k.startsWith(supervisor.name() + "\u0000") && !seen.contains(k));
    String reason = verdict(null, longest, thresholdMillis);
    JsonObject json = new JsonObject().put("supervisor", supervisor.name()).put("status", reason == null ? "UP" : "DOWN")
        .put("intensityUsed", supervisor.intensityUsed()).put("intensity", supervisor.options().getIntensity());
    if (reason != null) {
      json.put("reason", reason);
    }
    if (!restarting.isEmpty()) {
      json.put("restarting", restarting);
    }
    return json;
  }

  /**
   * Checks every supervisor.
   *
   * @return {@code {"status": "UP"|"DOWN", "up": n, "down": n, "supervisors": [each check]}}: DOWN
   *     when any supervisor is
   */
  public Future<JsonObject> checkAll() {
    List<Future<JsonObject>> checks = new ArrayList<>();
    for (String name : names()) {
      checks.add(check(name).otherwise((JsonObject) null));
    }
    return Future.join(checks).transform(ar -> {
      JsonArray all = new JsonArray();
      int up = 0;
      int down = 0;
      for (Future<JsonObject> check : checks) {
        JsonObject result = check.result();
        if (result == null) {
          continue; // stopped normally while being read
        }
        all.add(result);
        if ("UP".equals(result.getString("status"))) {
          up++;
        } else {
          down++;
        }
      }
      return Future.succeededFuture(new JsonObject().put("status", down == 0 ? "UP" : "DOWN").put("up", up).put("down", down)
          .put("supervisors", all));
    });
  }

  /** Stops watching. */
  @Override
  public void close() {
    Overseer.removeEventListener(vertx, listener);
  }
}
