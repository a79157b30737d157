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
  /** Default bound of every stash call (read, write, quarantine) but a start's claim: 2 s. */
  public static final Duration DEFAULT_STASH_TIMEOUT = Duration.ofSeconds(2);
  /**
   * Default bound of a start's claim of its stash key (with the read that comes with it): 8 s,
   * longer than {@link #DEFAULT_STASH_TIMEOUT} because a cluster's stash grants a claim only once
   * the key's partition has a backup replica again, which after a member's death takes the
   * cluster's migrations (seconds on a loaded machine), and a start whose claim fails is redone
   * from the beginning by its supervisor.
   */
  public static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofSeconds(8);
  /** The key of a deployment config's object that overrides these options ({@link #fromConfig}). */
  public static final String CONFIG_KEY = "overseer";
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
    /**
     * Fail the start: the server's start future fails, so its supervisor sees a failed start
     * (a crash, bounded by its intensity).
     */
    FAIL
  }

  private String name;
  private String stashKey;
  private Persistence persistence = DEFAULT_PERSISTENCE;
  private String codec;
  private Duration stashTimeout = DEFAULT_STASH_TIMEOUT;
  private Duration claimTimeout = DEFAULT_CLAIM_TIMEOUT;
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
    codec = other.codec;
    stashTimeout = other.stashTimeout;
    claimTimeout = other.claimTimeout;
    loadAttempts = other.loadAttempts;
    loadBackoff = other.loadBackoff;
    loadFallback = other.loadFallback;
    maxStateAge = other.maxStateAge;
  }

  /**
   * @param json the form {@link #toJson()} writes; absent fields keep their defaults
   * @throws IllegalArgumentException naming the field when a value has the wrong type or is unknown
   */
  public ServerOptions(JsonObject json) {
    try {
      name = json.getString("name");
      stashKey = json.getString("stashKey");
      persistence = Persistence.fromJson(json.getJsonObject("persistence"));
      codec = json.getString("codec");
      if (codec != null) {
        StateCodec.named(codec);
      }
      loadAttempts = json.getInteger("loadAttempts", DEFAULT_LOAD_ATTEMPTS);
      JsonObject backoff = json.getJsonObject("loadBackoff");
      loadBackoff = backoff == null ? DEFAULT_LOAD_BACKOFF : Backoff.fromJson(backoff);
      String fallback = json.getString("loadFallback", DEFAULT_LOAD_FALLBACK.name());
      try {
        loadFallback = LoadFallback.valueOf(fallback.toUpperCase());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("loadFallback: unknown value '" + fallback + "'; known: INITIAL_STATE, FAIL");
      }
      Long age = json.getLong("maxStateAge");
      maxStateAge = age == null ? null : Duration.ofMillis(age);
      stashTimeout = Duration.ofMillis(json.getLong("stashTimeout", DEFAULT_STASH_TIMEOUT.toMillis()));
      setClaimTimeout(Duration.ofMillis(json.getLong("claimTimeout", DEFAULT_CLAIM_TIMEOUT.toMillis())));
    } catch (ClassCastException | NullPointerException e) {
      // a getter met another JSON type, or an explicit null where a number is needed (found by fuzzing)
      throw new IllegalArgumentException("server options: a field has the wrong JSON type or is null: " + e.getMessage(), e);
    }
  }

  /**
   * The options a deployment's config asks for: {@code base} overridden field by field by the
   * config's {@value #CONFIG_KEY} object, in {@link #toJson()}'s shape, e.g.
   * {@code {"overseer":{"name":"counter-7","persistence":{"mode":"WRITE_THROUGH"},"codec":"long"}}}.
   * So {@code ChildSpec.verticle(className)} with a JSON config can start a configured server on
   * any member.
   *
   * @param base the options the server was built with
   * @param config the deployment's config, may be {@code null}
   * @return new options; {@code base} when the config has no {@value #CONFIG_KEY} object
   * @throws IllegalArgumentException naming the field when the config's object is malformed
   */
  public static ServerOptions fromConfig(ServerOptions base, JsonObject config) {
    Object over = config == null ? null : config.getValue(CONFIG_KEY);
    if (over == null) {
      return new ServerOptions(base);
    }
    if (!(over instanceof JsonObject)) {
      throw new IllegalArgumentException(CONFIG_KEY + ": expected a JSON object of server options, got " + over.getClass().getSimpleName());
    }
    return new ServerOptions(base.toJson().mergeIn((JsonObject) over));
  }

  /** @return the options as JSON (durations in ms) */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("persistence", persistence.toJson())
        .put("loadAttempts", loadAttempts)
        .put("loadBackoff", loadBackoff.toJson())
        .put("loadFallback", loadFallback.name())
        .put("stashTimeout", stashTimeout.toMillis())
        .put("claimTimeout", claimTimeout.toMillis());
    if (name != null) {
      json.put("name", name);
    }
    if (stashKey != null) {
      json.put("stashKey", stashKey);
    }
    if (codec != null) {
      json.put("codec", codec);
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

  /**
   * @return the well-known name of the state codec ({@link StateCodec#named}), or {@code null}:
   *     the server's own {@link Server#stateCodec()}
   */
  public String getCodec() {
    return codec;
  }

  /**
   * @param codec a well-known codec name ({@link StateCodec#named}): {@code "long"},
   *     {@code "string"}, {@code "json-object"}…; never a class name
   * @return this
   * @throws IllegalArgumentException for an unknown name
   */
  public ServerOptions setCodec(String codec) {
    if (codec != null) {
      StateCodec.named(codec);
    }
    this.codec = codec;
    return this;
  }

  /** @return the bound of every stash call but a start's claim; default {@link #DEFAULT_STASH_TIMEOUT} */
  public Duration getStashTimeout() {
    return stashTimeout;
  }

  /**
   * @param stashTimeout how long a stash call (read, write, quarantine; a start's claim has
   *     {@link #setClaimTimeout its own bound}) may take; a call
   *     that does not answer in time counts as failed: a read goes down the load-failure path
   *     (retry, then the fallback), a write is a crash, never an acknowledgement
   * @return this
   * @throws IllegalArgumentException when {@code stashTimeout} is zero or negative
   */
  public ServerOptions setStashTimeout(Duration stashTimeout) {
    this.stashTimeout = positive("stashTimeout", stashTimeout);
    return this;
  }

  /** @return the bound of a start's claim (and read) of its stash key; default {@link #DEFAULT_CLAIM_TIMEOUT} */
  public Duration getClaimTimeout() {
    return claimTimeout;
  }

  /**
   * @param claimTimeout how long a start's claim of its stash key, with the read that comes with
   *     it, may take ({@link #getStashTimeout()} bounds every other stash call). A claim that does
   *     not answer in time fails the start, and is never made later
   *     ({@link dev.overseer.stash.Stash#claimAndGet(String, Duration)}). Keep it above the time a
   *     cluster takes to give a partition its backup replica back after a member's death: its
   *     stash grants no claim before, and gives up itself at its own bound, the cluster's
   *     {@code operationTimeout} (docs/cluster.md, "What is guaranteed")
   * @return this
   * @throws IllegalArgumentException when {@code claimTimeout} is zero or negative
   */
  public ServerOptions setClaimTimeout(Duration claimTimeout) {
    this.claimTimeout = positive("claimTimeout", claimTimeout);
    return this;
  }

  /** @return {@code value}, a positive duration; throws naming {@code field} otherwise */
  private static Duration positive(String field, Duration value) {
    Objects.requireNonNull(value, field);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + " must be positive, got " + value);
    }
    return value;
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
