package dev.overseer;

import dev.overseer.impl.Bounds;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which children a supervisor may start on a <em>remote</em> request: a {@code startChild} that
 * arrives over the event bus (which may be bridged to browsers or clustered), or, in the cluster
 * module, a child placed on this member by another one. Calls through the Java API are not
 * checked: the application that makes them is trusted.
 *
 * <p>Two ways to allow a start, both exact:
 * <ul>
 *   <li><b>verticle names</b>: a request may carry a spec ({@link ChildSpec#fromJson}) whose
 *   verticle is one of these class names. The caller chooses the spec's other fields, its
 *   deployment options and config included;</li>
 *   <li><b>templates</b>: named specs the application registers; a request names a template and
 *   may choose only the new child's id. Everything else, config included, is the application's.
 *   Prefer templates: they give the caller the least.</li>
 * </ul>
 *
 * <p>The default, {@link #none()}, allows nothing: remote starts are off until the application
 * opts in (OTP has no such list because Erlang distribution trusts every connected node; the
 * event bus may reach further). A class named in a request is never loaded, let alone
 * initialized, unless it is on the list; a listed class is loaded without running its static
 * initializers until it has been checked to be a {@link Deployable} with a public no-argument
 * constructor.
 *
 * <p>Immutable, refined with the {@code withX} methods:
 *
 * <pre>{@code
 * new SupervisorOptions().setAllowList(ChildAllowList.none()
 *     .withVerticle(ReportWorker.class)
 *     .withTemplate("session", ChildSpec.verticle("session", "com.example.Session")
 *         .withRestart(RestartType.TEMPORARY)));
 * }</pre>
 */
public final class ChildAllowList {

  private static final ChildAllowList NONE = new ChildAllowList(Collections.emptySortedSet(), Collections.emptySortedMap());
  private static final Pattern CLASS_NAME = Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
      + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");

  private final Set<String> verticles;
  private final Map<String, ChildSpec> templates;

  private ChildAllowList(Set<String> verticles, Map<String, ChildSpec> templates) {
    this.verticles = verticles;
    this.templates = templates;
  }

  /** @return the list that allows nothing: remote starts are refused (the default) */
  public static ChildAllowList none() {
    return NONE;
  }

  /**
   * Reads the form {@link #toJson()} writes.
   *
   * @param json {@code {"verticles": [class names]?, "templates": {name: spec}?}}, or {@code null}
   *     for {@link #none()}
   * @return the list
   * @throws SupervisorException {@link SupervisorError#INVALID_SPEC} naming the field that is wrong
   */
  public static ChildAllowList fromJson(JsonObject json) {
    if (json == null) {
      return NONE;
    }
    ChildAllowList list = NONE;
    for (String field : json.fieldNames()) {
      if (!"verticles".equals(field) && !"templates".equals(field)) {
        throw invalid(Bounds.truncate(field, 64), "unknown field; expected verticles or templates");
      }
    }
    Object verticles = json.getValue("verticles");
    if (verticles != null) {
      if (!(verticles instanceof JsonArray)) {
        throw invalid("verticles", "must be an array of class names");
      }
      JsonArray names = (JsonArray) verticles;
      for (int i = 0; i < names.size(); i++) {
        Object name = names.getValue(i);
        if (!(name instanceof String) || !isClassName(strip((String) name))) {
          throw invalid("verticles[" + i + "]", "must be a Java class name, got " + Bounds.truncate(String.valueOf(name), 200));
        }
        list = list.withVerticles((String) name);
      }
    }
    Object templates = json.getValue("templates");
    if (templates != null) {
      if (!(templates instanceof JsonObject)) {
        throw invalid("templates", "must be an object of name: spec");
      }
      for (Map.Entry<String, Object> e : (JsonObject) templates) {
        String name = Bounds.truncate(e.getKey(), 64);
        if (e.getKey().isBlank()) {
          throw invalid("templates", "a template name must not be blank");
        }
        if (!(e.getValue() instanceof JsonObject)) {
          throw invalid("templates." + name, "must be a child spec object");
        }
        ChildSpec spec;
        try {
          spec = ChildSpec.fromJson((JsonObject) e.getValue());
        } catch (SupervisorException ex) {
          throw invalid("templates." + name, ex.getMessage());
        }
        list = list.withTemplate(e.getKey(), spec);
      }
    }
    return list;
  }

  /**
   * @return {@code {"verticles": [...], "templates": {name: spec}}}. A template started from a
   *     {@code Supplier} has no JSON form and is left out, as {@code DeploymentOptions} leaves out
   *     its class loader. Template configs are written in full: this is the application's own
   *     configuration, not something to send to callers.
   */
  public JsonObject toJson() {
    JsonObject t = new JsonObject();
    templates.forEach((name, spec) -> {
      if (spec.verticleName() != null) {
        t.put(name, spec.toJson());
      }
    });
    return new JsonObject().put("verticles", new JsonArray(new java.util.ArrayList<>(verticles))).put("templates", t);
  }

  /**
   * @param names verticle class names, optionally prefixed {@code java:}; exact, no wildcards
   * @return a copy that also allows starting these classes from a spec sent by a remote caller
   * @throws IllegalArgumentException when a name is not a Java class name
   */
  public ChildAllowList withVerticles(String... names) {
    Set<String> next = new TreeSet<>(verticles);
    for (String name : Objects.requireNonNull(names, "names")) {
      String stripped = strip(Objects.requireNonNull(name, "name"));
      if (!isClassName(stripped)) {
        throw new IllegalArgumentException("not a Java class name: " + Bounds.truncate(name, 200));
      }
      next.add(stripped);
    }
    return new ChildAllowList(Collections.unmodifiableSet(next), templates);
  }

  /**
   * @param type a verticle class
   * @return a copy that also allows starting {@code type} from a spec sent by a remote caller
   */
  public ChildAllowList withVerticle(Class<? extends Deployable> type) {
    return withVerticles(type.getName());
  }

  /**
   * @param name the template's name, as remote requests give it
   * @param spec what to start; a request may replace only its id. A {@code Supplier} spec is fine
   *     for the event bus but cannot be written as JSON (nor sent to another cluster member)
   * @return a copy with this template (replacing one of the same name)
   */
  public ChildAllowList withTemplate(String name, ChildSpec spec) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a template name must not be blank");
    }
    Map<String, ChildSpec> next = new TreeMap<>(templates);
    next.put(name, Objects.requireNonNull(spec, "spec"));
    return new ChildAllowList(verticles, Collections.unmodifiableMap(next));
  }

  /** @return the allowed verticle class names (without {@code java:}), sorted */
  public Set<String> verticles() {
    return verticles;
  }

  /** @return the templates by name, sorted */
  public Map<String, ChildSpec> templates() {
    return templates;
  }

  /** @return whether nothing is allowed (no verticles, no templates) */
  public boolean isEmpty() {
    return verticles.isEmpty() && templates.isEmpty();
  }

  /**
   * @param verticleName a class name, optionally prefixed {@code java:}
   * @return whether a remote caller may start it; loads nothing
   */
  public boolean allowsVerticle(String verticleName) {
    return verticleName != null && verticles.contains(strip(verticleName));
  }

  /**
   * Checks a spec that a remote caller sent. Loads no class.
   *
   * @param spec a spec read with {@link ChildSpec#fromJson}
   * @return {@code spec}
   * @throws SupervisorException {@link SupervisorError#FORBIDDEN} unless its verticle is allowed
   */
  public ChildSpec check(ChildSpec spec) {
    if (spec.verticleName() == null || !allowsVerticle(spec.verticleName())) {
      throw new SupervisorException(SupervisorError.FORBIDDEN, "verticle '" + Bounds.truncate(spec.verticleName(), 200)
          + "' is not on the allow-list; " + (verticles.isEmpty() ? "no verticle is" : verticles.size() + " verticles are")
          + " allowed (SupervisorOptions.setAllowList)");
    }
    return spec;
  }

  /**
   * @param template a template's name
   * @param id the new child's id, or {@code null} for the template's own
   * @return the template's spec with that id
   * @throws SupervisorException {@link SupervisorError#FORBIDDEN} when no template has that name
   */
  public ChildSpec fromTemplate(String template, String id) {
    ChildSpec spec = template == null ? null : templates.get(template);
    if (spec == null) {
      throw new SupervisorException(SupervisorError.FORBIDDEN, "no template named '" + Bounds.truncate(template, 200)
          + "'; registered: " + Bounds.truncate(templates.keySet().toString(), 1000));
    }
    return id == null ? spec : spec.withId(id);
  }

  private static String strip(String name) {
    return name.startsWith("java:") ? name.substring(5) : name;
  }

  private static boolean isClassName(String name) {
    return name.length() <= 1000 && CLASS_NAME.matcher(name).matches();
  }

  private static SupervisorException invalid(String field, String why) {
    return new SupervisorException(SupervisorError.INVALID_SPEC, "allowList." + field + ": " + why);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChildAllowList && ((ChildAllowList) o).verticles.equals(verticles)
        && ((ChildAllowList) o).templates.keySet().equals(templates.keySet())
        && ((ChildAllowList) o).toJson().equals(toJson());
  }

  @Override
  public int hashCode() {
    return Objects.hash(verticles, templates.keySet());
  }

  @Override
  public String toString() {
    return "ChildAllowList{verticles=" + verticles + ", templates=" + templates.keySet() + "}";
  }
}
