package dev.overseer.console.impl;

import dev.overseer.ExitReason;
import dev.overseer.SupervisorEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What the console's charts draw: restarts and crashes over the last minutes, per supervisor and
 * per child, and the restart intensity each supervisor used over time.
 *
 * <p>Each series is a ring of fixed time buckets ({@code bucketMillis} wide, {@code buckets} of
 * them): a bucket is reused once the window has moved past it, so a series never grows. Series are
 * kept for at most {@link #MAX_KEYS} supervisors and children, the least recently touched
 * forgotten first (a dynamic supervisor churning through ids cannot grow the history). A child's
 * restart or crash also counts in its supervisor's series, so a supervisor's chart sums its
 * children.
 *
 * <p>No Vert.x but JSON values, and an injected clock; not thread-safe (the console uses it on its
 * context).
 */
public final class History {

  /** Series (supervisors and children) kept at most. */
  static final int MAX_KEYS = 2_000;
  /** Default bucket width: 10 s. */
  public static final long DEFAULT_BUCKET_MILLIS = 10_000;
  /** Default number of buckets: 30, so five minutes with the default width. */
  public static final int DEFAULT_BUCKETS = 30;

  private final long bucketMillis;
  private final int buckets;
  private final LongSupplier clock;
  private final Map<String, Series> series = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Series> eldest) {
      return size() > MAX_KEYS;
    }
  };

  /** One ring; {@code index[i]} is the absolute bucket number slot {@code i} holds, -1 when empty. */
  private static final class Series {
    final long[] index;
    final int[] restarts;
    final int[] crashes;
    final int[] intensity;

    Series(int buckets) {
      index = new long[buckets];
      java.util.Arrays.fill(index, -1);
      restarts = new int[buckets];
      crashes = new int[buckets];
      intensity = new int[buckets];
    }

    /** @return the slot of absolute bucket {@code n}, emptied first if it held an older one */
    int slot(long n) {
      int i = (int) (n % index.length);
      if (index[i] != n) {
        index[i] = n;
        restarts[i] = 0;
        crashes[i] = 0;
        intensity[i] = 0;
      }
      return i;
    }
  }

  /** A history of five minutes in 10 s buckets on the wall clock. */
  public History() {
    this(DEFAULT_BUCKET_MILLIS, DEFAULT_BUCKETS, System::currentTimeMillis);
  }

  /**
   * @param bucketMillis width of one bucket, 1 or more
   * @param buckets buckets kept per series, 1 or more
   * @param clock milliseconds since the epoch
   */
  public History(long bucketMillis, int buckets, LongSupplier clock) {
    if (bucketMillis < 1 || buckets < 1) {
      throw new IllegalArgumentException("bucketMillis and buckets: must be 1 or more, got " + bucketMillis + ", " + buckets);
    }
    this.bucketMillis = bucketMillis;
    this.buckets = buckets;
    this.clock = clock;
  }

  /** Counts a lifecycle event, as {@link #record(Object)} does with its JSON form. */
  public void record(SupervisorEvent event) {
    SupervisorEvent.Type type = event.type();
    boolean restart = type == SupervisorEvent.Type.CHILD_RESTARTED;
    boolean crash = (type == SupervisorEvent.Type.CHILD_EXITED || type == SupervisorEvent.Type.START_FAILED)
        && event.reason() != null && event.reason().kind() == ExitReason.Kind.FAILURE;
    count(event.supervisor(), event.childId(), restart, crash);
  }

  /**
   * Counts a lifecycle event: {@code CHILD_RESTARTED} as a restart, an abnormal exit or failed
   * start ({@link EventLog#isCrash}) as a crash, in the child's series and its supervisor's.
   * Other events, and bodies that are not events, are ignored.
   */
  public void record(Object body) {
    if (!(body instanceof JsonObject)) {
      return;
    }
    JsonObject event = (JsonObject) body;
    if (!(event.getValue("supervisor") instanceof String)) {
      return;
    }
    boolean restart = "CHILD_RESTARTED".equals(event.getValue("type"));
    boolean crash = EventLog.isCrash(event);
    if (!restart && !crash) {
      return;
    }
    Object child = event.getValue("childId");
    count(event.getString("supervisor"), child instanceof String ? (String) child : null, restart, crash);
  }

  private void count(String supervisor, String childId, boolean restart, boolean crash) {
    if (supervisor == null || (!restart && !crash)) {
      return;
    }
    long n = clock.getAsLong() / bucketMillis;
    count(series(supervisor, null), n, restart, crash);
    if (childId != null) {
      count(series(supervisor, childId), n, restart, crash);
    }
  }

  private static void count(Series s, long n, boolean restart, boolean crash) {
    int i = s.slot(n);
    if (restart) {
      s.restarts[i]++;
    }
    if (crash) {
      s.crashes[i]++;
    }
  }

  /** Notes a supervisor's restart intensity used now; a bucket keeps the highest value noted in it. */
  public void sampleIntensity(String supervisor, int used) {
    Series s = series(supervisor, null);
    int i = s.slot(clock.getAsLong() / bucketMillis);
    s.intensity[i] = Math.max(s.intensity[i], used);
  }

  private Series series(String supervisor, String childId) {
    return series.computeIfAbsent(EventLog.key(supervisor, childId), k -> new Series(buckets));
  }

  /**
   * @param supervisor the supervisor
   * @param childId a child, or {@code null} for the supervisor (its children summed, and its intensity)
   * @return {@code {"bucketMillis", "now", "buckets": [{"start", "restarts", "crashes", "intensity"}]}}:
   *     every bucket of the window, oldest first, zeros where nothing happened
   */
  public JsonObject toJson(String supervisor, String childId) {
    long now = clock.getAsLong();
    long last = now / bucketMillis;
    Series s = series.get(EventLog.key(supervisor, childId));
    JsonArray out = new JsonArray();
    for (long n = last - buckets + 1; n <= last; n++) {
      int i = (int) Math.floorMod(n, (long) buckets);
      boolean held = s != null && n >= 0 && s.index[i] == n;
      JsonObject bucket = new JsonObject()
          .put("start", n * bucketMillis)
          .put("restarts", held ? s.restarts[i] : 0)
          .put("crashes", held ? s.crashes[i] : 0);
      if (childId == null) {
        bucket.put("intensity", held ? s.intensity[i] : 0);
      }
      out.add(bucket);
    }
    return new JsonObject().put("bucketMillis", bucketMillis).put("now", now).put("buckets", out);
  }

  /** @return how many series are kept */
  int size() {
    return series.size();
  }
}
