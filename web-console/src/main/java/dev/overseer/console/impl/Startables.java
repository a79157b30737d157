package dev.overseer.console.impl;

import dev.overseer.ChildSpec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The child specs an application lets the console start: per supervisor name, templates by name,
 * each a supplier called once per start (so it can hand out a fresh id every time).
 * Thread-safe: the application registers from any thread while the console reads.
 */
public final class Startables {

  private final Map<String, Map<String, Supplier<ChildSpec>>> bySupervisor = new ConcurrentHashMap<>();

  /**
   * Registers (or replaces) a template.
   *
   * @throws IllegalArgumentException when a name is null or blank, or the supplier is null
   */
  public void register(String supervisor, String template, Supplier<ChildSpec> spec) {
    if (supervisor == null || supervisor.isBlank()) {
      throw new IllegalArgumentException("supervisorName: must be a supervisor's name, got " + supervisor);
    }
    if (template == null || template.isBlank()) {
      throw new IllegalArgumentException("templateName: must be a non-blank name, got " + template);
    }
    Objects.requireNonNull(spec, "spec");
    bySupervisor.computeIfAbsent(supervisor, k -> new ConcurrentHashMap<>()).put(template, spec);
  }

  /** @return the template, or {@code null} */
  public Supplier<ChildSpec> find(String supervisor, String template) {
    Map<String, Supplier<ChildSpec>> templates = bySupervisor.get(supervisor);
    return templates == null ? null : templates.get(template);
  }

  /** @return the template names registered for a supervisor, sorted */
  public List<String> names(String supervisor) {
    Map<String, Supplier<ChildSpec>> templates = bySupervisor.get(supervisor);
    return templates == null ? List.of() : List.copyOf(new TreeMap<>(templates).keySet());
  }
}
