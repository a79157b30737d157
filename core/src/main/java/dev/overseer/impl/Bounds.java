package dev.overseer.impl;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * Size bounds for what travels on the event bus: text cut to a length with a visible marker, and a
 * JSON size estimate that stops as soon as a bound is passed (a hostile 100 MB body is not
 * walked, let alone encoded, to learn that it is too big).
 */
public final class Bounds {

  private Bounds() {
  }

  /**
   * @param text any text, or {@code null}
   * @param max the most characters kept (the marker comes on top)
   * @return {@code text} itself when it fits; else its first {@code max} characters (never half
   *     a surrogate pair) followed by {@code …[+N chars]}
   */
  public static String truncate(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    int end = max;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…[+" + (text.length() - end) + " chars]";
  }

  /**
   * @param value a JSON value ({@link JsonObject}, {@link JsonArray}, map, list, string, number,
   *     boolean or {@code null})
   * @param max a size in characters
   * @return whether the value's encoded JSON is longer than {@code max} (estimated from above;
   *     exact for plain ASCII text)
   */
  public static boolean largerThan(Object value, long max) {
    return size(value, max, 0) > max;
  }

  /** Deeper nesting than this counts as too large: the walk, and Jackson's, would risk the stack. */
  public static final int MAX_DEPTH = 64;

  private static final long TOO_DEEP = Long.MAX_VALUE / 4;

  /**
   * @param value a JSON value, or {@code null}
   * @param max the most characters of its encoded form kept
   * @return {@code value} itself when its encoded form fits, else that encoded form truncated
   *     (a string, so a report reader still sees its beginning)
   */
  public static Object json(Object value, int max) {
    long size = value == null ? 0 : size(value, max, 0);
    if (size <= max) {
      return value;
    }
    if (size >= TOO_DEEP) {
      return "…[JSON nested deeper than " + MAX_DEPTH + " levels]";
    }
    String encoded;
    try {
      encoded = Json.encode(value);
    } catch (RuntimeException e) {
      encoded = String.valueOf(value);
    }
    return truncate(encoded, max);
  }

  /** Adds up an upper estimate of the encoded size, giving up once {@code budget} is passed. */
  private static long size(Object value, long budget, int depth) {
    if (depth > MAX_DEPTH) {
      return TOO_DEEP;
    }
    if (value == null || value instanceof Boolean) {
      return 5;
    }
    if (value instanceof CharSequence) {
      return ((CharSequence) value).length() + 2L;
    }
    if (value instanceof Number) {
      return 24;
    }
    if (value instanceof JsonObject) {
      return sizeOfMap(((JsonObject) value).getMap(), budget, depth);
    }
    if (value instanceof Map) {
      return sizeOfMap((Map<?, ?>) value, budget, depth);
    }
    if (value instanceof JsonArray) {
      return sizeOfList(((JsonArray) value).getList(), budget, depth);
    }
    if (value instanceof List) {
      return sizeOfList((List<?>) value, budget, depth);
    }
    if (value instanceof byte[]) {
      return ((byte[]) value).length * 4L / 3 + 4;
    }
    if (value instanceof io.vertx.core.buffer.Buffer) {
      return ((io.vertx.core.buffer.Buffer) value).length() * 4L / 3 + 4;
    }
    return String.valueOf(value).length() + 2L;
  }

  private static long sizeOfMap(Map<?, ?> map, long budget, int depth) {
    long total = 2;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      total += String.valueOf(e.getKey()).length() + 4L + size(e.getValue(), budget - total, depth + 1);
      if (total > budget) {
        return total;
      }
    }
    return total;
  }

  private static long sizeOfList(List<?> list, long budget, int depth) {
    long total = 2;
    for (Object o : list) {
      total += 1 + size(o, budget - total, depth + 1);
      if (total > budget) {
        return total;
      }
    }
    return total;
  }
}
