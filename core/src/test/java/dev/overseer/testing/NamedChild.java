package dev.overseer.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ProbeChild} that can be started by class name (from a JSON child spec): its
 * {@code config()} says its {@code name} and which registered {@link Probe} it reports to.
 */
public class NamedChild extends ProbeChild {

  private static final Map<String, Probe> PROBES = new ConcurrentHashMap<>();

  /** Used by Vert.x and the supervisor through reflection. */
  public NamedChild() {
    super(null, null);
  }

  /** Makes {@code probe} reachable under {@code key} for children whose config names it. */
  public static void register(String key, Probe probe) {
    PROBES.put(key, probe);
  }

  @Override
  protected String childName() {
    return config().getString("name");
  }

  @Override
  protected Probe childProbe() {
    return PROBES.getOrDefault(config().getString("probe", ""), new Probe());
  }
}
