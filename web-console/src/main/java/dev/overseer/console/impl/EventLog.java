package dev.overseer.console.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the console remembers of the lifecycle events ({@code SupervisorEvent.toJson()}) it saw:
 * a bounded ring of recent events per child and per supervisor, each child's last crash, a ring
 * of recent events overall, and the events not yet pushed to the browsers.
 *
 * <p>Everything is bounded twice: by count (a restart storm or a dynamic supervisor churning
 * through ids cannot grow it), and by bytes, because one crash event carries a stack trace and a
 * server's formatted state and so may be large. Each event is charged the length of its JSON text
 * once per place that holds it; an event larger than {@link #MAX_EVENT_BYTES} is kept trimmed
 * (stack and report cut, marked {@code "truncated": true}). Over the budget, the least recently
 * touched children are forgotten first, then the oldest events of the overall ring, then the
 * oldest pending ones (counted as dropped).
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
  /** Largest event kept whole, as JSON text; larger ones are trimmed. */
  static final int MAX_EVENT_BYTES = 32 * 1024;
  /** Default byte budget of everything held: 16 MiB. */
  public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

  private final int perChild;
  private final long maxBytes;
  private final Map<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      if (size() > MAX_KEYS) {
        bytes -= eldest.getValue().bytes();
        return true;
      }
      return false;
    }
  };
  private final Deque<Held> recent = new ArrayDeque<>();
  private final Deque<Held> pending = new ArrayDeque<>();
  private long bytes;
  private long dropped;
  private long seen;

  /** An event and what it costs. */
  private record Held(JsonObject event, int size) {
  }

  private static final class Entry {
    final Deque<Held> events = new ArrayDeque<>();
    Held lastCrash;

    long bytes() {
      long sum = lastCrash == null ? 0 : lastCrash.size;
      for (Held h : events) {
        sum += h.size;
      }
      return sum;
    }
  }

  /** @param perChild recent events kept per child, 1 or more; the byte budget is {@link #DEFAULT_MAX_BYTES} */
  public EventLog(int perChild) {
    this(perChild, DEFAULT_MAX_BYTES);
  }

  /**
   * @param perChild recent events kept per child, 1 or more
   * @param maxBytes the most JSON text held in all, at least {@link #MAX_EVENT_BYTES}
   */
  public EventLog(int perChild, long maxBytes) {
    if (perChild < 1) {
      throw new IllegalArgumentException("perChild: must be 1 or more, got " + perChild);
    }
    if (maxBytes < MAX_EVENT_BYTES) {
      throw new IllegalArgumentException("maxBytes: must be at least " + MAX_EVENT_BYTES + ", got " + maxBytes);
    }
    this.perChild = perChild;
    this.maxBytes = maxBytes;
  }

  /** @return the key of a child's entry; {@code childId == null} is the supervisor's own */
  static String key(String supervisor, String childId) {
    return supervisor + "\u0000" + (childId == null ? "" : childId);
  }

  /**
   * Records one event. Events that are not JSON objects with a string {@code supervisor} and
   * {@code type} are ignored.
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
    Held held = measure(event);
    Entry entry = entries.computeIfAbsent(key(event.getString("supervisor"), childId), k -> new Entry());
    push(entry.events, held, perChild);
    if (isCrash(event)) {
      if (entry.lastCrash != null) {
        bytes -= entry.lastCrash.size;
      }
      entry.lastCrash = held;
      bytes += held.size;
    }
    push(recent, held, RECENT);
    if (pending.size() >= MAX_PENDING) {
      bytes -= pending.removeFirst().size;
      dropped++;
    }
    pending.addLast(held);
    bytes += held.size;
    enforceBudget();
    return true;
  }

  private static Held measure(JsonObject event) {
    int size = event.encode().length();
    if (size <= MAX_EVENT_BYTES) {
      return new Held(event, size);
    }
    JsonObject trimmed = event.copy().put("truncated", true);
    Object reason = trimmed.getValue("reason");
    if (reason instanceof JsonObject) {
      JsonObject r = (JsonObject) reason;
      r.remove("stack");
      Object report = r.getValue("crashReport");
      if (report instanceof JsonObject) {
        JsonObject cr = (JsonObject) report;
        cr.put("state", cut(cr.getValue("state")));
        cr.put("lastMessage", cut(cr.getValue("lastMessage")));
        if (cr.getValue("reason") instanceof JsonObject) {
          cr.getJsonObject("reason").remove("stack");
        }
      }
      if (r.getValue("message") instanceof String) {
        r.put("message", cut(r.getString("message")));
      }
    }
    int trimmedSize = trimmed.encode().length();
    if (trimmedSize > MAX_EVENT_BYTES) {
      // whatever else was large (an odd supervisor or child name): keep only the header
      trimmed = new JsonObject().put("type", event.getValue("type")).put("supervisor", cut(event.getValue("supervisor")))
          .put("childId", cut(event.getValue("childId"))).put("timestamp", event.getValue("timestamp")).put("truncated", true);
      trimmedSize = trimmed.encode().length();
    }
    return new Held(trimmed, trimmedSize);
  }

  private static String cut(Object value) {
    if (value == null) {
      return null;
    }
    String text = String.valueOf(value);
    return text.length() <= 1024 ? text : text.substring(0, 1024) + "… (" + text.length() + " characters)";
  }

  private void enforceBudget() {
    // the least recently touched children first, but not the one just recorded; then the
    // overall and pending rings, oldest first; the newest event goes last
    Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
    while (bytes > maxBytes && entries.size() > 1 && eldest.hasNext()) {
      bytes -= eldest.next().getValue().bytes();
      eldest.remove();
    }
    while (bytes > maxBytes && recent.size() > 1) {
      bytes -= recent.removeFirst().size;
    }
    while (bytes > maxBytes && pending.size() > 1) {
      bytes -= pending.removeFirst().size;
      dropped++;
    }
    if (bytes > maxBytes) {
      entries.clear();
      recent.clear();
      dropped += pending.size();
      pending.clear();
      bytes = 0;
    }
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

  private void push(Deque<Held> ring, Held held, int max) {
    if (ring.size() >= max) {
      bytes -= ring.removeFirst().size;
    }
    ring.addLast(held);
    bytes += held.size;
  }

  private static JsonArray json(Iterable<Held> held) {
    List<Object> list = new ArrayList<>();
    held.forEach(h -> list.add(h.event));
    return new JsonArray(list);
  }

  /** @return the recent events of a child (or of the supervisor itself when {@code childId} is null), oldest first */
  public JsonArray events(String supervisor, String childId) {
    Entry entry = entries.get(key(supervisor, childId));
    return entry == null ? new JsonArray() : json(entry.events);
  }

  /** @return the child's last crash event, or {@code null} */
  public JsonObject lastCrash(String supervisor, String childId) {
    Entry entry = entries.get(key(supervisor, childId));
    return entry == null || entry.lastCrash == null ? null : entry.lastCrash.event;
  }

  /** @return up to {@code limit} recent events overall, oldest first */
  public JsonArray recent(int limit) {
    List<Held> all = new ArrayList<>(recent);
    return json(all.subList(Math.max(0, all.size() - limit), all.size()));
  }

  /** @return how many events were recorded since the console started */
  public long seen() {
    return seen;
  }

  /** @return the JSON text held now, in characters: at most the budget */
  public long bytes() {
    return bytes;
  }

  /** @return whether events wait to be pushed */
  public boolean hasPending() {
    return !pending.isEmpty() || dropped > 0;
  }

  /**
   * Takes the events not pushed yet.
   *
   * @return {@code {"events": [...], "dropped": n}}: the events in order, and how many older ones
   *     were left out because more than {@value #MAX_PENDING} arrived between two pushes (or the
   *     byte budget was reached)
   */
  public JsonObject drainPending() {
    JsonObject batch = new JsonObject().put("events", json(pending)).put("dropped", dropped);
    for (Held h : pending) {
      bytes -= h.size;
    }
    pending.clear();
    dropped = 0;
    return batch;
  }
}
