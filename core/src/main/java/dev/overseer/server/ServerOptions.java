package dev.overseer.server;

import dev.overseer.Backoff;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Server} is addressed and how it keeps and loads its state. The Vert.x options
 * shape: defaults as constants, no-argument, copy and JSON constructors, {@link #toJson()},
 * fluent setters.
 */
public class ServerOptions {

  /** Default persistence: none, as a plain OTP gen_server. */
  public static final Persistence DEFAULT_PERSISTENCE = Persistence.none();
  /** Default schema version of the state: 1. */
  public static final int DEFAULT_SCHEMA_VERSION = 1;
  /** Default number of attempts to load the state before the fallback: 3. */
  public static final int DEFAULT_LOAD_ATTEMPTS = 3;
  /** Default delays between load attempts: 50 ms doubling up to 1 s. */
  public static final Backoff DEFAULT_LOAD_BACKOFF = Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(1)).withJitter(0);
  /** Default fallback when loading keeps failing: start from the initial state. */
  public static final LoadFallback DEFAULT_LOAD_FALLBACK = LoadFallback.INITIAL_STATE;

  /** What a server does when its state cannot be read from the stash after every attempt. */
  public enum LoadFallback {
    /** Start from the initial state (and report it). */
    INITIAL_STATE,
    /** Fail the start: the supervisor sees a crash (bounded by its intensity). */
    FAIL
  }

  private String name;
  private String stashKey;
  private Persistence persistence = DEFAULT_PERSISTENCE;
  private int schemaVersion = DEFAULT_SCHEMA_VERSION;
  private int loadAttempts = DEFAULT_LOAD_ATTEMPTS;
  private Backoff loadBackoff = DEFAULT_LOAD_BACKOFF;
  private LoadFallback loadFallback = DEFAULT_LOAD_FALLBACK;
  private Duration maxStateAge;

  /** Options with the defaults; a name must still be set. */
  public ServerOptions() {
  }

  /** @param name the server's name and event-bus address */
  public ServerOptions(String name) {
    this.name = name;
  }

  /** @param other options to copy */
  public ServerOptions(ServerOptions other) {
    name = other.name;
    stashKey = other.stashKey;
    persistence = other.persistence;
    schemaVersion = other.schemaVersion;
    loadAttempts = other.loadAttempts;
    loadBackoff = other.loadBackoff;
    loadFallback = other.loadFallback;
    maxStateAge = other.maxStateAge;
  }

  /** @param json the form {@link #toJson()} writes */
  public ServerOptions(JsonObject json) {
    name = json.getString("name");
    stashKey = json.getString("stashKey");
    persistence = Persistence.fromJson(json.getJsonObject("persistence"));
    schemaVersion = json.getInteger("schemaVersion", DEFAULT_SCHEMA_VERSION);
    loadAttempts = json.getInteger("loadAttempts", DEFAULT_LOAD_ATTEMPTS);
    JsonObject backoff = json.getJsonObject("loadBackoff");
    loadBackoff = backoff == null ? DEFAULT_LOAD_BACKOFF : Backoff.fromJson(backoff);
    loadFallback = LoadFallback.valueOf(json.getString("loadFallback", DEFAULT_LOAD_FALLBACK.name()).toUpperCase());
    Long age = json.getLong("maxStateAge");
    maxStateAge = age == null ? null : Duration.ofMillis(age);
  }

  /** @return the options as JSON (durations in ms) */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("persistence", persistence.toJson())
        .put("schemaVersion", schemaVersion)
        .put("loadAttempts", loadAttempts)
        .put("loadBackoff", loadBackoff.toJson())
        .put("loadFallback", loadFallback.name());
    if (name != null) {
      json.put("name", name);
    }
    if (stashKey != null) {
      json.put("stashKey", stashKey);
    }
    if (maxStateAge != null) {
      json.put("maxStateAge", maxStateAge.toMillis());
    }
    return json;
  }

  /** @return the name: the event-bus address callers use */
  public String getName() {
    return name;
  }

  /**
   * @param name the event-bus address
   * @return this
   */
  public ServerOptions setName(String name) {
    this.name = name;
    return this;
  }

  /** @return the stash key; {@code null} means the name */
  public String getStashKey() {
    return stashKey;
  }

  /**
   * @param stashKey where the state is kept in the stash (default: the name)
   * @return this
   */
  public ServerOptions setStashKey(String stashKey) {
    this.stashKey = stashKey;
    return this;
  }

  /** @return how the state is kept */
  public Persistence getPersistence() {
    return persistence;
  }

  /**
   * @param persistence how the state is kept
   * @return this
   */
  public ServerOptions setPersistence(Persistence persistence) {
    this.persistence = Objects.requireNonNull(persistence, "persistence");
    return this;
  }

  /** @return the schema version of the state this code writes */
  public int getSchemaVersion() {
    return schemaVersion;
  }

  /**
   * @param schemaVersion the version of the state's shape; raise it when the shape changes and
   *     implement {@link Server#migrate} @return this
   * @return this
   */
  public ServerOptions setSchemaVersion(int schemaVersion) {
    this.schemaVersion = schemaVersion;
    return this;
  }

  /** @return how many times loading is tried before the fallback */
  public int getLoadAttempts() {
    return loadAttempts;
  }

  /**
   * @param loadAttempts attempts to load, 1 or more
   * @return this
   */
  public ServerOptions setLoadAttempts(int loadAttempts) {
    this.loadAttempts = loadAttempts;
    return this;
  }

  /** @return delays between load attempts */
  public Backoff getLoadBackoff() {
    return loadBackoff;
  }

  /**
   * @param loadBackoff delays between load attempts
   * @return this
   */
  public ServerOptions setLoadBackoff(Backoff loadBackoff) {
    this.loadBackoff = Objects.requireNonNull(loadBackoff, "loadBackoff");
    return this;
  }

  /** @return what happens when loading keeps failing */
  public LoadFallback getLoadFallback() {
    return loadFallback;
  }

  /**
   * @param loadFallback what happens when loading keeps failing
   * @return this
   */
  public ServerOptions setLoadFallback(LoadFallback loadFallback) {
    this.loadFallback = Objects.requireNonNull(loadFallback, "loadFallback");
    return this;
  }

  /** @return the age past which a stashed state is not loaded, or {@code null} for no limit */
  public Duration getMaxStateAge() {
    return maxStateAge;
  }

  /**
   * @param maxStateAge the age past which a stashed state is quarantined instead of loaded
   * @return this
   */
  public ServerOptions setMaxStateAge(Duration maxStateAge) {
    this.maxStateAge = maxStateAge;
    return this;
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
