package dev.overseer.console.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the console remembers of the lifecycle events ({@code SupervisorEvent.toJson()}) it saw:
 * a bounded ring of recent events per child and per supervisor, each child's last crash, a ring
 * of recent events overall, and the events not yet pushed to the browsers. Everything is
 * bounded: a restart storm or a dynamic supervisor churning through ids cannot grow it without
 * limit (the least recently touched children are forgotten first).
 *
 * <p>Not thread-safe: the console touches it on its own context only.
 */
public final class EventLog {

  /** Children (and supervisors) remembered at most. */
  static final int MAX_KEYS = 10_000;
  /** Recent events kept overall. */
  static final int RECENT = 200;
  /** Events kept for the next push; older ones are counted as dropped. */
  static final int MAX_PENDING = 200;

  private final int perChild;
  private final Map<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_KEYS;
    }
  };
  private final Deque<JsonObject> recent = new ArrayDeque<>();
  private final Deque<JsonObject> pending = new ArrayDeque<>();
  private long dropped;
  private long seen;

  private static final class Entry {
    final Deque<JsonObject> events = new ArrayDeque<>();
    JsonObject lastCrash;
  }

  /** @param perChild recent events kept per child, 1 or more */
  public EventLog(int perChild) {
    if (perChild < 1) {
      throw new IllegalArgumentException("perChild: must be 1 or more, got " + perChild);
    }
    this.perChild = perChild;
  }

  /** @return the key of a child's entry; {@code childId == null} is the supervisor's own */
  static String key(String supervisor, String childId) {
    return supervisor + "\u0000" + (childId == null ? "" : childId);
  }

  /**
   * Records one event. Events that are not JSON objects with a string {@code supervisor} and
   * {@code type} are ignored: anyone may publish on the events address.
   *
   * @return whether the event was recorded
   */
  public boolean record(Object body) {
    if (!(body instanceof JsonObject)) {
      return false;
    }
    JsonObject event = (JsonObject) body;
    if (!(event.getValue("supervisor") instanceof String) || !(event.getValue("type") instanceof String)) {
      return false;
    }
    Object child = event.getValue("childId");
    String childId = child instanceof String ? (String) child : null;
    seen++;
    Entry entry = entries.computeIfAbsent(key(event.getString("supervisor"), childId), k -> new Entry());
    push(entry.events, event, perChild);
    if (isCrash(event)) {
      entry.lastCrash = event;
    }
    push(recent, event, RECENT);
    if (pending.size() >= MAX_PENDING) {
      pending.removeFirst();
      dropped++;
    }
    pending.addLast(event);
    return true;
  }

  /** @return whether the event is a crash: a child exit or failed start with an abnormal reason */
  static boolean isCrash(JsonObject event) {
    String type = event.getString("type");
    if (!"CHILD_EXITED".equals(type) && !"START_FAILED".equals(type)) {
      return false;
    }
    Object reason = event.getValue("reason");
    return reason instanceof JsonObject && "FAILURE".equals(((JsonObject) reason).getValue("kind"));
  }

  private static void push(Deque<JsonObject> ring, JsonObject event, int max) {
    if (ring.size() >= max) {
      ring.removeFirst();
    }
    ring.addLast(event);
  }

  /** @return the recent events of a child (or of the supervisor itself when {@code childId} is null), oldest first */
  public JsonArray events(String supervisor, String childId) {
    Entry entry = entries.get(key(supervisor, childId));
    return entry == null ? new JsonArray() : new JsonArray(new ArrayList<>(entry.events));
  }

  /** @return the child's last crash event, or {@code null} */
  public JsonObject lastCrash(String supervisor, String childId) {
    Entry entry = entries.get(key(supervisor, childId));
    return entry == null ? null : entry.lastCrash;
  }

  /** @return up to {@code limit} recent events overall, oldest first */
  public JsonArray recent(int limit) {
    List<JsonObject> all = new ArrayList<>(recent);
    return new JsonArray(new ArrayList<>(all.subList(Math.max(0, all.size() - limit), all.size())));
  }

  /** @return how many events were recorded since the console started */
  public long seen() {
    return seen;
  }

  /** @return whether events wait to be pushed */
  public boolean hasPending() {
    return !pending.isEmpty() || dropped > 0;
  }

  /**
   * Takes the events not pushed yet.
   *
   * @return {@code {"events": [...], "dropped": n}}: the events in order, and how many older ones
   *     were left out because more than {@value #MAX_PENDING} arrived between two pushes
   */
  public JsonObject drainPending() {
    JsonObject batch = new JsonObject().put("events", new JsonArray(new ArrayList<>(pending))).put("dropped", dropped);
    pending.clear();
    dropped = 0;
    return batch;
  }
}
