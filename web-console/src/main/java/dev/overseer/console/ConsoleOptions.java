package dev.overseer.console;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Console} is served. The Vert.x options shape: defaults as constants, no-argument,
 * copy and JSON constructors, {@link #toJson()}, fluent setters.
 *
 * <p>Values are checked when the console starts; a bad one fails the start with an
 * {@link IllegalArgumentException} naming the field.
 */
public class ConsoleOptions {

  /** Default host: {@value}, so only this machine can reach the console. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Default port: {@value}. Port 0 picks a free port (for tests). */
  public static final int DEFAULT_PORT = 8088;
  /** Read-only is off by default: the console offers restart, terminate, delete and start. */
  public static final boolean DEFAULT_READ_ONLY = false;
  /** Default coalesce interval: at most one tree update per 250 ms reaches the browsers. */
  public static final Duration DEFAULT_COALESCE_INTERVAL = Duration.ofMillis(250);
  /** Default number of recent lifecycle events kept per child: {@value}. */
  public static final int DEFAULT_EVENT_HISTORY = 50;
  /**
   * Default budget of the console's event memory: 16 MiB of event JSON text (histories, last
   * crashes, the recent and pending rings together).
   */
  public static final long DEFAULT_EVENT_MEMORY_BYTES = 16L * 1024 * 1024;
  /** Smallest event memory budget accepted: 64 KiB (one event is kept up to 32 KiB). */
  public static final long MIN_EVENT_MEMORY_BYTES = 64L * 1024;
  /** By default the console serves itself on its own HTTP server ({@link #setServe}). */
  public static final boolean DEFAULT_SERVE = true;
  /** Shortest coalesce interval accepted: 10 ms. */
  public static final Duration MIN_COALESCE_INTERVAL = Duration.ofMillis(10);

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String token;
  private boolean readOnly = DEFAULT_READ_ONLY;
  private Duration coalesceInterval = DEFAULT_COALESCE_INTERVAL;
  private int eventHistory = DEFAULT_EVENT_HISTORY;
  private long eventMemoryBytes = DEFAULT_EVENT_MEMORY_BYTES;
  private boolean serve = DEFAULT_SERVE;

  /** Options with the defaults. */
  public ConsoleOptions() {
  }

  /** @param other options to copy */
  public ConsoleOptions(ConsoleOptions other) {
    this.host = other.host;
    this.port = other.port;
    this.token = other.token;
    this.readOnly = other.readOnly;
    this.coalesceInterval = other.coalesceInterval;
    this.eventHistory = other.eventHistory;
    this.eventMemoryBytes = other.eventMemoryBytes;
    this.serve = other.serve;
  }

  /**
   * @param json the form {@link #toJson()} writes (coalesce interval in milliseconds); missing
   *     keys keep their defaults
   * @throws IllegalArgumentException naming a field of the wrong type
   */
  public ConsoleOptions(JsonObject json) {
    try {
      host = json.getString("host", DEFAULT_HOST);
      port = json.getInteger("port", DEFAULT_PORT);
      token = json.getString("token");
      readOnly = json.getBoolean("readOnly", DEFAULT_READ_ONLY);
      coalesceInterval = Duration.ofMillis(json.getLong("coalesceInterval", DEFAULT_COALESCE_INTERVAL.toMillis()));
      eventHistory = json.getInteger("eventHistory", DEFAULT_EVENT_HISTORY);
      eventMemoryBytes = json.getLong("eventMemoryBytes", DEFAULT_EVENT_MEMORY_BYTES);
      serve = json.getBoolean("serve", DEFAULT_SERVE);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("console options: " + e.getMessage(), e);
    }
  }

  /**
   * @return the options as JSON; the token is written as given, so keep this JSON as secret as
   *     the token itself
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("host", host)
        .put("port", port)
        .put("readOnly", readOnly)
        .put("coalesceInterval", coalesceInterval.toMillis())
        .put("eventHistory", eventHistory)
        .put("eventMemoryBytes", eventMemoryBytes)
        .put("serve", serve);
    if (token != null) {
      json.put("token", token);
    }
    return json;
  }

  /** @return the address the HTTP server binds to; {@value #DEFAULT_HOST} by default */
  public String getHost() {
    return host;
  }

  /**
   * @param host the address to bind to. Anything but a loopback address exposes the console (still
   *     behind the token, but over plain HTTP) to the network.
   * @return this
   */
  public ConsoleOptions setHost(String host) {
    this.host = host;
    return this;
  }

  /** @return the TCP port; {@value #DEFAULT_PORT} by default, 0 for a free one */
  public int getPort() {
    return port;
  }

  /**
   * @param port the TCP port, 0 to 65535 (0 picks a free port)
   * @return this
   */
  public ConsoleOptions setPort(int port) {
    this.port = port;
    return this;
  }

  /** @return the configured access token, or {@code null} to generate one at start */
  public String getToken() {
    return token;
  }

  /**
   * @param token the access token every API call and the live channel must present; at least 16
   *     characters from {@code A-Z a-z 0-9 . _ ~ + -}. {@code null} (the default) generates a
   *     random one at start and logs the console's URL with it, once.
   * @return this
   */
  public ConsoleOptions setToken(String token) {
    this.token = token;
    return this;
  }

  /** @return whether actions are refused (403) and hidden in the page */
  public boolean isReadOnly() {
    return readOnly;
  }

  /**
   * @param readOnly refuse every action; the tree, details and events stay visible
   * @return this
   */
  public ConsoleOptions setReadOnly(boolean readOnly) {
    this.readOnly = readOnly;
    return this;
  }

  /** @return the shortest time between two tree updates pushed to the browsers */
  public Duration getCoalesceInterval() {
    return coalesceInterval;
  }

  /**
   * @param coalesceInterval the shortest time between two pushed tree updates, at least
   *     {@link #MIN_COALESCE_INTERVAL}; every change within it is sent as one update, so a restart
   *     storm costs the browser at most one render per interval
   * @return this
   */
  public ConsoleOptions setCoalesceInterval(Duration coalesceInterval) {
    this.coalesceInterval = Objects.requireNonNull(coalesceInterval, "coalesceInterval");
    return this;
  }

  /** @return how many recent lifecycle events are kept per child */
  public int getEventHistory() {
    return eventHistory;
  }

  /**
   * @param eventHistory recent lifecycle events kept per child, 1 or more
   * @return this
   */
  public ConsoleOptions setEventHistory(int eventHistory) {
    this.eventHistory = eventHistory;
    return this;
  }

  /** @return the byte budget of the event memory; {@link #DEFAULT_EVENT_MEMORY_BYTES} by default */
  public long getEventMemoryBytes() {
    return eventMemoryBytes;
  }

  /**
   * @param eventMemoryBytes the most event JSON text the console holds, at least
   *     {@link #MIN_EVENT_MEMORY_BYTES}; past it the least recently active children's histories
   *     are forgotten first. A crash event carries a stack trace and a server's formatted state,
   *     so the count limits alone do not bound memory.
   * @return this
   */
  public ConsoleOptions setEventMemoryBytes(long eventMemoryBytes) {
    this.eventMemoryBytes = eventMemoryBytes;
    return this;
  }

  /** @return whether the console starts its own HTTP server; true by default */
  public boolean isServe() {
    return serve;
  }

  /**
   * @param serve {@code false} to start no HTTP server: the console is then served only where
   *     the application mounts {@link Console#router} in its own router (host, port and token
   *     options do not apply there)
   * @return this
   */
  public ConsoleOptions setServe(boolean serve) {
    this.serve = serve;
    return this;
  }

  /**
   * Checks every field.
   *
   * @throws IllegalArgumentException naming the first field that is wrong and why
   */
  public void validate() {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: must be an address to bind to, got " + host);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: must be 0 to 65535, got " + port);
    }
    if (token != null && !token.matches("[A-Za-z0-9._~+-]{16,512}")) {
      throw new IllegalArgumentException(
          "token: must be 16 to 512 characters from A-Z a-z 0-9 . _ ~ + - (it travels in HTTP headers)");
    }
    if (coalesceInterval.compareTo(MIN_COALESCE_INTERVAL) < 0) {
      throw new IllegalArgumentException("coalesceInterval: must be at least " + MIN_COALESCE_INTERVAL.toMillis()
          + " ms, got " + coalesceInterval.toMillis() + " ms");
    }
    if (eventHistory < 1) {
      throw new IllegalArgumentException("eventHistory: must be 1 or more, got " + eventHistory);
    }
    if (eventMemoryBytes < MIN_EVENT_MEMORY_BYTES) {
      throw new IllegalArgumentException("eventMemoryBytes: must be at least " + MIN_EVENT_MEMORY_BYTES + ", got " + eventMemoryBytes);
    }
  }

  @Override
  public String toString() {
    JsonObject json = toJson();
    if (json.containsKey("token")) {
      json.put("token", "***");
    }
    return json.encode();
  }
}
