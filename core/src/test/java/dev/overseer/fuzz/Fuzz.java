package dev.overseer.fuzz;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded generator of hostile input: wrongly typed, malformed, oversized, extreme and unknown
 * values, and mutations of valid templates (one field replaced, removed or added), so most inputs
 * get past the first check and reach the deeper ones. A failure reproduces from the printed seed
 * ({@code -Dfuzz.seed=S}).
 */
public final class Fuzz {

  /** Strings that tend to break parsers, names and lookups. */
  private static final List<String> NASTY = List.of("", " ", "null", "undefined", "NaN", "-1", "0", "1e309",
      "9223372036854775808", "true", "{}", "[]", "{\"a\":", "\u0000", "\uFFFF", "\uD800", "é∂ƒ©", "../../etc/passwd",
      "java.lang.Runtime", "java.lang.ProcessBuilder", "javax.script.ScriptEngineManager", "java.lang.Object",
      "dev.overseer.Supervisor", "${jndi:ldap://127.0.0.1/x}", "<script>alert(1)</script>", "'; DROP TABLE x; --",
      "ONE_FOR_ONE", "one_for_one", "PERMANENT", "transient", "brutal_kill", "infinity", "WORKER", "supervisor",
      "WRITE_THROUGH", "write_behind", "exponential", "whichChildren", "startChild", "deleteChild");

  private final Random random;
  private final long seed;

  /**
   * @param seed the seed
   */
  public Fuzz(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
  }

  /**
   * The seed for a fuzz target: {@code -Dfuzz.seed} if given, else the clock. Printed.
   *
   * @param target the target's name
   * @return the seed
   */
  public static long seed(String target) {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println("FUZZ " + target + " seed=" + seed + " (repeat with -Dfuzz.seed=" + seed + ")");
    return seed;
  }

  /** @return the seed */
  public long seed() {
    return seed;
  }

  /** @return the random source (for choices a target makes itself) */
  public Random random() {
    return random;
  }

  /** @return a random int in [0, bound) */
  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  /** @return one of the values, at random */
  @SafeVarargs
  public final <T> T oneOf(T... values) {
    return values[random.nextInt(values.length)];
  }

  /** @return a hostile string: nasty, random, or oversized */
  public String string() {
    switch (random.nextInt(6)) {
      case 0:
      case 1:
        return NASTY.get(random.nextInt(NASTY.size()));
      case 2: {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
          b.append((char) (random.nextBoolean() ? 'a' + random.nextInt(26) : random.nextInt(0x3000)));
        }
        return b.toString();
      }
      case 3:
        return "x".repeat(random.nextBoolean() ? 300 : 70_000);
      case 4:
        return Long.toString(random.nextLong());
      default:
        return "k" + random.nextInt(8);
    }
  }

  /** @return a number at or near an extreme, or a small one */
  public Number number() {
    return switch (random.nextInt(10)) {
      case 0 -> Long.MAX_VALUE;
      case 1 -> Long.MIN_VALUE;
      case 2 -> Integer.MAX_VALUE;
      case 3 -> Integer.MIN_VALUE;
      case 4 -> -1;
      case 5 -> 0;
      case 6 -> random.nextDouble() * 1e6 - 5e5;
      case 7 -> random.nextBoolean() ? Double.MAX_VALUE : -Double.MAX_VALUE;
      case 8 -> (long) Integer.MAX_VALUE + 1 + random.nextInt(1000);
      default -> random.nextInt(200) - 20;
    };
  }

  /**
   * A JSON value of any type.
   *
   * @param depth how deep objects and arrays may nest
   * @return the value
   */
  public Object value(int depth) {
    int kinds = depth > 0 ? 8 : 6;
    switch (random.nextInt(kinds)) {
      case 0:
        return null;
      case 1:
        return random.nextBoolean();
      case 2:
      case 3:
        return number();
      case 4:
      case 5:
        return string();
      case 6:
        return object(depth - 1);
      default:
        return array(depth - 1);
    }
  }

  /**
   * @param depth how deep values may nest
   * @return an object of random keys (nasty and plausible) and values
   */
  public JsonObject object(int depth) {
    JsonObject json = new JsonObject();
    int n = random.nextInt(5);
    for (int i = 0; i < n; i++) {
      json.put(string(), value(depth));
    }
    return json;
  }

  /**
   * @param depth how deep values may nest
   * @return an array of random values, sometimes long
   */
  public JsonArray array(int depth) {
    JsonArray json = new JsonArray();
    int n = random.nextInt(20) == 0 ? 2000 : random.nextInt(4);
    for (int i = 0; i < n; i++) {
      json.add(value(Math.min(depth, 0)));
    }
    return json;
  }

  /**
   * A deeply nested value (a recursive reader may overflow its stack), at most 900 levels: what
   * a JSON parser with Jackson's default limit of 1000 still lets in from the wire.
   *
   * @return nested arrays and objects
   */
  public Object deep() {
    Object v = string();
    int n = 100 + random.nextInt(800);
    for (int i = 0; i < n; i++) {
      v = random.nextBoolean() ? new JsonArray().add(v) : new JsonObject().put("a", v);
    }
    return v;
  }

  /**
   * Mutates a valid template: replaces, removes or adds one to three fields; values are drawn from
   * the field's plausible alternatives or from {@link #value(int)}.
   *
   * @param template a valid input
   * @param plausible for some fields, values of the right type that may still be wrong
   * @return the mutant (the template is not changed)
   */
  public JsonObject mutate(JsonObject template, Map<String, List<Object>> plausible) {
    JsonObject json = template.copy();
    List<String> keys = new ArrayList<>(template.fieldNames());
    keys.addAll(plausible.keySet());
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      String key = keys.get(random.nextInt(keys.size()));
      switch (random.nextInt(6)) {
        case 0 -> json.remove(key);
        case 1 -> json.put(string(), value(2));
        case 2 -> json.put(key, value(2));
        case 3 -> json.put(key, random.nextInt(50) == 0 ? deep() : value(1));
        default -> {
          List<Object> options = plausible.get(key);
          json.put(key, options == null || options.isEmpty() ? value(1) : options.get(random.nextInt(options.size())));
        }
      }
    }
    return json;
  }

  /** @return an event-bus body of any type the bus carries without a custom codec */
  public Object body() {
    return switch (random.nextInt(9)) {
      case 0 -> null;
      case 1 -> string();
      case 2 -> number() instanceof Double d ? d : number().longValue();
      case 3 -> random.nextBoolean();
      case 4 -> Buffer.buffer(string());
      case 5 -> string().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      case 6 -> array(1);
      case 7 -> random.nextInt(30) == 0 ? deep() : object(2);
      default -> object(1);
    };
  }
}
