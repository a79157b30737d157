package dev.overseer.impl;

import dev.overseer.AutoShutdown;
import dev.overseer.ChildSpec;
import dev.overseer.DynamicSupervisorOptions;
import dev.overseer.RestartStrategy;
import dev.overseer.RestartType;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import dev.overseer.SupervisorOptions;
import io.vertx.core.Deployable;

import java.lang.reflect.Modifier;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks specs and flags before anything starts, one small check per field as OTP's
 * {@code supervisor:check_childspecs/2} and {@code check_flags/1}. Every rejection is a
 * {@link SupervisorError#INVALID_SPEC} whose message starts with the field's name.
 */
public final class SpecValidator {

  private SpecValidator() {
  }

  /**
   * Checks supervisor flags.
   *
   * @param options the flags
   * @param dynamic whether they are a dynamic supervisor's
   */
  public static void validateOptions(SupervisorOptions options, boolean dynamic) {
    if (options.getName() != null && options.getName().isBlank()) {
      throw invalid("name", "must not be blank");
    }
    if (options.getIntensity() < 0) {
      throw invalid("intensity", "must be 0 or more, got " + options.getIntensity());
    }
    if (options.getPeriod().isNegative() || options.getPeriod().isZero()) {
      throw invalid("period", "must be positive, got " + options.getPeriod());
    }
    if (options.isPublishEvents() && (options.getEventsAddress() == null || options.getEventsAddress().isEmpty())) {
      throw invalid("eventsAddress", "must be set when events are published");
    }
    if (dynamic) {
      if (options.getStrategy() != RestartStrategy.ONE_FOR_ONE) {
        throw invalid("strategy", "a dynamic supervisor restarts one for one, got " + options.getStrategy());
      }
      if (options.getAutoShutdown() != AutoShutdown.NEVER) {
        throw invalid("autoShutdown", "not supported by a dynamic supervisor (as OTP 27's simple_one_for_one)");
      }
      int max = ((DynamicSupervisorOptions) options).getMaxChildren();
      if (max <= 0) {
        throw invalid("maxChildren", "must be positive, got " + max);
      }
    }
  }

  /**
   * Checks a list of initial specs, including that ids are unique.
   *
   * @param specs the specs
   * @param autoShutdown the supervisor's auto-shutdown
   */
  public static void validateAll(List<ChildSpec> specs, AutoShutdown autoShutdown) {
    if (specs == null) {
      throw invalid("children", "must be a list");
    }
    Set<String> ids = new HashSet<>();
    for (ChildSpec spec : specs) {
      validate(spec, autoShutdown);
      if (!ids.add(spec.id())) {
        throw invalid("id", "duplicate child id '" + spec.id() + "'");
      }
    }
  }

  /**
   * Checks one spec against the supervisor's auto-shutdown flag.
   *
   * @param spec the spec
   * @param autoShutdown the supervisor's auto-shutdown
   */
  public static void validate(ChildSpec spec, AutoShutdown autoShutdown) {
    if (spec == null) {
      throw invalid("spec", "must not be null");
    }
    if (spec.id() == null || spec.id().isEmpty()) {
      throw invalid("id", "must be a non-empty string");
    }
    if (spec.id().length() > ChildSpec.MAX_ID_LENGTH) {
      throw invalid("id", "must be at most " + ChildSpec.MAX_ID_LENGTH + " characters, got " + spec.id().length()
          + " (child '" + Bounds.truncate(spec.id(), 40) + "')");
    }
    if (spec.supplier() == null && (spec.verticleName() == null || spec.verticleName().isBlank())) {
      throw invalid("start", "needs a supplier or a verticle name (child '" + spec.id() + "')");
    }
    if (spec.deploymentOptions().getInstances() != 1) {
      throw invalid("deploymentOptions.instances", "must be 1: a child is one deployment instance, got "
          + spec.deploymentOptions().getInstances() + " (child '" + spec.id() + "')");
    }
    if (spec.deploymentOptions().isHa()) {
      throw invalid("deploymentOptions.ha", "Vert.x HA would restart the child outside its supervisor (child '" + spec.id() + "')");
    }
    if (spec.significant()) {
      if (spec.restart() == RestartType.PERMANENT) {
        throw invalid("significant", "a permanent child cannot be significant (child '" + spec.id() + "')");
      }
      if (autoShutdown == AutoShutdown.NEVER) {
        throw invalid("significant", "a significant child needs autoShutdown ANY_SIGNIFICANT or ALL_SIGNIFICANT (child '" + spec.id() + "')");
      }
    }
  }

  /**
   * Finds the class a verticle-name spec starts, without initializing it: its static
   * initializers run only once it is known to be a {@link Deployable} that can be instantiated,
   * when the supervisor creates an instance. A name that is no such class is the spec's fault,
   * an {@link SupervisorError#INVALID_SPEC} on {@code verticle}, not a failed start.
   *
   * @param spec a verticle-name spec
   * @return the class
   */
  public static Class<? extends Deployable> verticleClass(ChildSpec spec) {
    String name = spec.verticleName().startsWith("java:") ? spec.verticleName().substring(5) : spec.verticleName();
    String shown = "'" + Bounds.truncate(name, 200) + "' (child '" + Bounds.truncate(spec.id(), 40) + "')";
    ClassLoader loader = spec.deploymentOptions().getClassLoader();
    if (loader == null) {
      loader = Thread.currentThread().getContextClassLoader();
    }
    if (loader == null) {
      loader = SpecValidator.class.getClassLoader();
    }
    Class<?> type;
    try {
      type = Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw invalid("verticle", "no class named " + shown);
    }
    if (!Deployable.class.isAssignableFrom(type)) {
      throw invalid("verticle", shown + " is not a Deployable (a Verticle or VerticleBase)");
    }
    if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())
        || (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers()))) {
      throw invalid("verticle", shown + " must be a public, concrete, top-level or static class");
    }
    try {
      type.getConstructor();
    } catch (NoSuchMethodException | LinkageError e) {
      throw invalid("verticle", shown + " has no public no-argument constructor");
    }
    return type.asSubclass(Deployable.class);
  }

  private static SupervisorException invalid(String field, String why) {
    return new SupervisorException(SupervisorError.INVALID_SPEC, field + ": " + why);
  }
}
