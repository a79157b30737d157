package dev.overseer.metrics;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * What {@link OverseerMetrics} tags and how its meters are named. The Vert.x options shape:
 * defaults as constants, no-argument, copy and JSON constructors, {@link #toJson()}, fluent
 * setters.
 *
 * <p>Tag cardinality stays bounded by default: children of a static supervisor are tagged with
 * their id (a fixed list written in code), children of a dynamic supervisor are not (they may
 * be thousands with generated ids), and servers are tagged with their class, not their name.
 */
public class OverseerMetricsOptions {

  /** Default prefix of every meter name: {@value}. */
  public static final String DEFAULT_PREFIX = "overseer";
  /** Children of dynamic supervisors are not tagged with their id by default. */
  public static final boolean DEFAULT_DYNAMIC_CHILD_TAGS = false;
  /** Servers are tagged with their class by default, not their name. */
  public static final boolean DEFAULT_SERVER_NAME_TAGS = false;

  private String prefix = DEFAULT_PREFIX;
  private boolean dynamicChildTags = DEFAULT_DYNAMIC_CHILD_TAGS;
  private boolean serverNameTags = DEFAULT_SERVER_NAME_TAGS;

  /** Options with the defaults. */
  public OverseerMetricsOptions() {
  }

  /**
   * A copy.
   *
   * @param other the options to copy
   */
  public OverseerMetricsOptions(OverseerMetricsOptions other) {
    this.prefix = other.prefix;
    this.dynamicChildTags = other.dynamicChildTags;
    this.serverNameTags = other.serverNameTags;
  }

  /**
   * Options from JSON.
   *
   * @param json the form {@link #toJson()} writes; missing keys keep their defaults
   */
  public OverseerMetricsOptions(JsonObject json) {
    this.prefix = json.getString("prefix", DEFAULT_PREFIX);
    this.dynamicChildTags = json.getBoolean("dynamicChildTags", DEFAULT_DYNAMIC_CHILD_TAGS);
    this.serverNameTags = json.getBoolean("serverNameTags", DEFAULT_SERVER_NAME_TAGS);
  }

  /** @return the options as JSON */
  public JsonObject toJson() {
    return new JsonObject().put("prefix", prefix).put("dynamicChildTags", dynamicChildTags).put("serverNameTags", serverNameTags);
  }

  /** @return the prefix of every meter name; {@value #DEFAULT_PREFIX} by default */
  public String getPrefix() {
    return prefix;
  }

  /**
   * @param prefix the prefix of every meter name, not blank
   * @return this
   */
  public OverseerMetricsOptions setPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.isBlank()) {
      throw new IllegalArgumentException("prefix: must not be blank");
    }
    this.prefix = prefix;
    return this;
  }

  /** @return whether children of dynamic supervisors are tagged with their id; false by default */
  public boolean isDynamicChildTags() {
    return dynamicChildTags;
  }

  /**
   * @param dynamicChildTags tag children of dynamic supervisors with their id; only when their
   *     ids are few and reused, since each id makes new time series
   * @return this
   */
  public OverseerMetricsOptions setDynamicChildTags(boolean dynamicChildTags) {
    this.dynamicChildTags = dynamicChildTags;
    return this;
  }

  /** @return whether servers are tagged with their name instead of their class; false by default */
  public boolean isServerNameTags() {
    return serverNameTags;
  }

  /**
   * @param serverNameTags tag servers with their name instead of their class; only when server
   *     names are few (not one per session or per user)
   * @return this
   */
  public OverseerMetricsOptions setServerNameTags(boolean serverNameTags) {
    this.serverNameTags = serverNameTags;
    return this;
  }
}
