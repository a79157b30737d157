package dev.overseer.server;

import io.vertx.core.json.EncodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * How a {@link Server}'s state is kept in a stash: a value, as Vert.x's {@code MessageCodec}
 * (not overridable methods with an unchecked cast). Immutable; refine with {@link #withVersion(int, Migration)}
 * and {@link #withValidator}.
 *
 * <ul>
 *   <li>{@link #encodeToText}: the state as a JSON value (String, Number, Boolean, {@link JsonObject},
 *       {@link JsonArray}); anything else is refused with a clear error.</li>
 *   <li>{@link #decode}: a stored JSON value back to the declared type, with type checks: a value
 *       of the wrong JSON type, or JSON {@code null}, is refused, so the entry is quarantined
 *       and the server starts from its initial state instead of crash-looping on a bad cast.</li>
 *   <li>{@link #version()} and {@link #migrate}: entries carry the schema version that wrote them;
 *       an older one is migrated before decoding, a newer one is quarantined.</li>
 *   <li>{@link #validate}: a last check of a decoded state.</li>
 * </ul>
 *
 * <p>Codecs for the common types have well-known names ({@link #named}), which is how a
 * deployment's JSON config chooses one: a config never names a class.
 *
 * @param <S> the state's type
 */
public final class StateCodec<S> {

  /**
   * Turns a state into a JSON value.
   *
   * @param <S> the state's type
   */
  @FunctionalInterface
  public interface Encoder<S> {
    /**
     * Encodes a state.
     *
     * @param state the state to store
     * @return {@code state} as a JSON value (String, Number, Boolean, {@link JsonObject} or
     *     {@link JsonArray})
     * @throws Exception when the state cannot be encoded; {@link #encodeToText} reports it as an
     *     {@link IllegalArgumentException} naming the codec
     */
    Object encode(S state) throws Exception;
  }

  /**
   * Turns a stored JSON value into a state, refusing values of the wrong shape.
   *
   * @param <S> the state's type
   */
  @FunctionalInterface
  public interface Decoder<S> {
    /**
     * Decodes a stored value.
     *
     * @param json the stored JSON value, never {@code null}
     * @return the state
     * @throws Exception when {@code json} does not have the expected shape; the entry is then
     *     quarantined
     */
    S decode(Object json) throws Exception;
  }

  /** Brings a stored value of an older schema version to the current one. */
  @FunctionalInterface
  public interface Migration {
    /**
     * Migrates a stored value.
     *
     * @param fromVersion the schema version that wrote {@code json}, older than the codec's
     * @param json the stored JSON value
     * @return {@code json} in the current version's shape
     * @throws Exception when the value cannot be migrated; the entry is then quarantined
     */
    Object migrate(int fromVersion, Object json) throws Exception;
  }

  /**
   * Refuses a decoded state that must not be used.
   *
   * @param <S> the state's type
   */
  @FunctionalInterface
  public interface Validator<S> {
    /**
     * Checks a decoded state.
     *
     * @param state the decoded state
     * @throws Exception when {@code state} must not be loaded; the message says why, and the
     *     entry is quarantined
     */
    void validate(S state) throws Exception;
  }

  private static final StateCodec<Long> LONGS = new StateCodec<>("long", Long.class, s -> s, StateCodec::toLong, 1, null, null);
  private static final StateCodec<Integer> INTEGERS = new StateCodec<>("integer", Integer.class, s -> s, StateCodec::toInteger, 1, null, null);
  private static final StateCodec<String> STRINGS = new StateCodec<>("string", String.class, s -> s, j -> expect(String.class, j), 1, null, null);
  private static final StateCodec<Boolean> BOOLEANS = new StateCodec<>("boolean", Boolean.class, s -> s, j -> expect(Boolean.class, j), 1, null, null);
  private static final StateCodec<JsonObject> JSON_OBJECTS = new StateCodec<>("json-object", JsonObject.class, s -> s, j -> expect(JsonObject.class, j), 1, null, null);
  private static final StateCodec<JsonArray> JSON_ARRAYS = new StateCodec<>("json-array", JsonArray.class, s -> s, j -> expect(JsonArray.class, j), 1, null, null);
  private static final StateCodec<Object> JSON = new StateCodec<>("json", Object.class, s -> s, StateCodec::anyJson, 1, null, null);

  private final String name;
  private final Class<S> type;
  private final Encoder<S> encoder;
  private final Decoder<S> decoder;
  private final int version;
  private final Migration migration;
  private final Validator<S> validator;

  private StateCodec(String name, Class<S> type, Encoder<S> encoder, Decoder<S> decoder, int version,
                     Migration migration, Validator<S> validator) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.version = version;
    this.migration = migration;
    this.validator = validator;
  }

  /**
   * A codec of your own.
   *
   * @param name a short name for reports and status
   * @param type the state's type; a decoded value must be an instance of it
   * @param encoder state to JSON value
   * @param decoder JSON value to state; throw on a value of the wrong shape
   * @param <S> the state's type
   * @return the codec, schema version 1, no migration, no validation
   */
  public static <S> StateCodec<S> of(String name, Class<S> type, Encoder<S> encoder, Decoder<S> decoder) {
    return new StateCodec<>(name, type, encoder, decoder, 1, null, null);
  }

  /** @return a {@code Long} state, stored as a JSON number (integral, in range); named {@code "long"} */
  public static StateCodec<Long> longs() {
    return LONGS;
  }

  /** @return an {@code Integer} state, stored as a JSON number (integral, in range); named {@code "integer"} */
  public static StateCodec<Integer> integers() {
    return INTEGERS;
  }

  /** @return a {@code String} state, stored as a JSON string; named {@code "string"} */
  public static StateCodec<String> strings() {
    return STRINGS;
  }

  /** @return a {@code Boolean} state, stored as a JSON boolean; named {@code "boolean"} */
  public static StateCodec<Boolean> booleans() {
    return BOOLEANS;
  }

  /** @return a {@link JsonObject} state; named {@code "json-object"} */
  public static StateCodec<JsonObject> jsonObjects() {
    return JSON_OBJECTS;
  }

  /** @return a {@link JsonArray} state; named {@code "json-array"} */
  public static StateCodec<JsonArray> jsonArrays() {
    return JSON_ARRAYS;
  }

  /**
   * @return any non-null JSON value as it was decoded (String, Number, Boolean, JsonObject,
   *     JsonArray), with no narrower type check; named {@code "json"}. The default of a server
   *     that declares no codec.
   */
  public static StateCodec<Object> json() {
    return JSON;
  }

  /**
   * A record or bean state mapped to and from a JSON object by Jackson databind (through
   * {@link JsonObject#mapFrom} and {@link JsonObject#mapTo}). Needs
   * {@code com.fasterxml.jackson.core:jackson-databind} on the classpath; core does not bring it.
   *
   * @param type the state's class
   * @param <S> the state's type
   * @return the codec, named after the class's simple name
   * @throws IllegalStateException when jackson-databind is not on the classpath
   */
  public static <S> StateCodec<S> mapped(Class<S> type) {
    Objects.requireNonNull(type, "type");
    try {
      Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, StateCodec.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("StateCodec.mapped needs com.fasterxml.jackson.core:jackson-databind on the classpath");
    }
    return new StateCodec<>("mapped:" + type.getSimpleName(), type, JsonObject::mapFrom,
        j -> expect(JsonObject.class, j).mapTo(type), 1, null, null);
  }

  /**
   * The codec of a well-known name, as a deployment's config names it: {@code "long"},
   * {@code "integer"}, {@code "string"}, {@code "boolean"}, {@code "json-object"},
   * {@code "json-array"}, {@code "json"}. Never a class name.
   *
   * @param name the codec's name
   * @return the shared codec of that name
   * @throws IllegalArgumentException for any other name, listing the known ones
   */
  public static StateCodec<?> named(String name) {
    switch (String.valueOf(name)) {
      case "long":
        return LONGS;
      case "integer":
        return INTEGERS;
      case "string":
        return STRINGS;
      case "boolean":
        return BOOLEANS;
      case "json-object":
        return JSON_OBJECTS;
      case "json-array":
        return JSON_ARRAYS;
      case "json":
        return JSON;
      default:
        throw new IllegalArgumentException("codec: unknown state codec '" + name
            + "'; known: long, integer, string, boolean, json-object, json-array, json");
    }
  }

  /**
   * @param version the schema version this code writes, 1 or more; raise it when the state's
   *     shape changes
   * @param migration brings entries of older versions to {@code version}
   * @return a copy with that version and migration
   */
  public StateCodec<S> withVersion(int version, Migration migration) {
    if (version < 1) {
      throw new IllegalArgumentException("version must be 1 or more, got " + version);
    }
    return new StateCodec<>(name, type, encoder, decoder, version, Objects.requireNonNull(migration, "migration"), validator);
  }

  /**
   * Adds a last check of decoded states; a state it throws on is quarantined like one of the
   * wrong shape. Replaces any validator set before.
   *
   * @param validator the check
   * @return a copy that refuses decoded states {@code validator} throws on
   */
  public StateCodec<S> withValidator(Validator<S> validator) {
    return new StateCodec<>(name, type, encoder, decoder, version, migration, Objects.requireNonNull(validator, "validator"));
  }

  /** @return the codec's name */
  public String name() {
    return name;
  }

  /** @return the state's type */
  public Class<S> type() {
    return type;
  }

  /** @return the schema version this codec writes (default 1) */
  public int version() {
    return version;
  }

  /**
   * Encodes a state for the stash.
   *
   * @param state the state
   * @return {@code state} as JSON text
   * @throws IllegalArgumentException naming the codec and the reason when the state does not
   *     encode to a JSON value
   */
  public String encodeToText(S state) {
    Object json;
    try {
      json = encoder.encode(state);
    } catch (Exception e) {
      throw new IllegalArgumentException("state codec '" + name + "' cannot encode the state: " + e, e);
    }
    if (json == null || !isJsonValue(json)) {
      throw new IllegalArgumentException("state codec '" + name + "' cannot encode the state: "
          + (json == null ? "null" : "a " + json.getClass().getName()) + " is not a JSON value");
    }
    try {
      return Json.encode(json);
    } catch (EncodeException e) {
      throw new IllegalArgumentException("state codec '" + name + "' cannot encode the state: " + e.getMessage(), e);
    }
  }

  /**
   * Decodes a stored value and checks that it is a non-null instance of {@link #type()}.
   *
   * @param json a stored JSON value of the current schema version
   * @return the state decoded from a stored JSON value of the current version
   * @throws Exception saying why when the value has the wrong shape or type (JSON {@code null}
   *     included)
   */
  public S decode(Object json) throws Exception {
    if (json == null) {
      throw new IllegalArgumentException("null is not a state of codec '" + name + "'");
    }
    S state = decoder.decode(json);
    if (state == null || !type.isInstance(state)) {
      throw new IllegalArgumentException("codec '" + name + "' decoded " + describe(state) + ", not a " + type.getSimpleName());
    }
    return state;
  }

  /**
   * Runs the migration given to {@link #withVersion}.
   *
   * @param fromVersion the schema version that wrote {@code json}
   * @param json the stored JSON value
   * @return {@code json}, written by schema {@code fromVersion} (older than {@link #version()}),
   *     brought to the current version
   * @throws Exception when there is no migration or it fails
   */
  public Object migrate(int fromVersion, Object json) throws Exception {
    if (migration == null) {
      throw new IllegalStateException("no migration from schema version " + fromVersion + " to " + version);
    }
    return migration.migrate(fromVersion, json);
  }

  /**
   * Runs the validator given to {@link #withValidator}, if any; without one every state passes.
   *
   * @param state a decoded state
   * @throws Exception when {@code state} must not be loaded
   */
  public void validate(S state) throws Exception {
    if (validator != null) {
      validator.validate(state);
    }
  }

  @Override
  public String toString() {
    return "StateCodec[" + name + ", version " + version + "]";
  }

  /** @return whether {@code o} is a value Vert.x's JSON and event bus carry as is */
  static boolean isJsonValue(Object o) {
    return o instanceof String || o instanceof Number || o instanceof Boolean
        || o instanceof JsonObject || o instanceof JsonArray;
  }

  private static String describe(Object o) {
    return o == null ? "null" : "a " + o.getClass().getSimpleName();
  }

  private static <T> T expect(Class<T> type, Object json) {
    if (!type.isInstance(json)) {
      throw new IllegalArgumentException("expected a JSON " + jsonKind(type) + ", got " + describe(json));
    }
    return type.cast(json);
  }

  private static String jsonKind(Class<?> type) {
    if (type == JsonObject.class) {
      return "object";
    }
    if (type == JsonArray.class) {
      return "array";
    }
    return type.getSimpleName().toLowerCase();
  }

  private static Object anyJson(Object json) {
    if (!isJsonValue(json)) {
      throw new IllegalArgumentException("expected a JSON value, got " + describe(json));
    }
    return json;
  }

  private static Long toLong(Object json) {
    BigInteger n = integral(json);
    if (n.bitLength() > 63) {
      throw new IllegalArgumentException("expected a number that fits a long, got " + json);
    }
    return n.longValue();
  }

  private static Integer toInteger(Object json) {
    BigInteger n = integral(json);
    if (n.bitLength() > 31) {
      throw new IllegalArgumentException("expected a number that fits an int, got " + json);
    }
    return n.intValue();
  }

  // Json.decodeValue("3") is an Integer and "3000000000" a Long: a number codec takes any
  // integral JSON number in range, never casts.
  private static BigInteger integral(Object json) {
    if (json instanceof Integer || json instanceof Long || json instanceof Short || json instanceof Byte) {
      return BigInteger.valueOf(((Number) json).longValue());
    }
    if (json instanceof BigInteger) {
      return (BigInteger) json;
    }
    if (json instanceof Number) {
      try {
        return new BigDecimal(json.toString()).toBigIntegerExact();
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("expected an integral number, got " + json);
      }
    }
    throw new IllegalArgumentException("expected a JSON number, got " + describe(json));
  }
}
