package dev.overseer.impl;

import dev.overseer.ChildSpec;
import dev.overseer.DynamicSupervisorOptions;
import dev.overseer.RestartType;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import dev.overseer.SupervisorOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Where a static {@link dev.overseer.Supervisor} and a {@link dev.overseer.DynamicSupervisor}
 * differ, as one object instead of a flag tested throughout the engine (OTP's
 * {@code simple_one_for_one} is the same supervisor with these answers changed).
 */
abstract sealed class SupervisorKind {

  /** @return the kind for these options: dynamic for {@link DynamicSupervisorOptions} */
  static SupervisorKind of(SupervisorOptions options, boolean dynamic) {
    return dynamic ? new Dynamic((DynamicSupervisorOptions) options) : new Static();
  }

  /**
   * What every child with default deployment options is deployed with: one instance for all,
   * since Vert.x keeps the options it is given for the life of the deployment (a copy per child
   * was ~60 bytes of each idle child) and never changes them.
   */
  private static final DeploymentOptions SHARED_DEFAULT = new DeploymentOptions();

  /** @return {@code options}, or the shared instance when they equal the defaults */
  static DeploymentOptions shareIfDefault(DeploymentOptions options) {
    return options.getConfig() == null
        && options.getThreadingModel() == SHARED_DEFAULT.getThreadingModel()
        && !options.isHa()
        && options.getInstances() == SHARED_DEFAULT.getInstances()
        && options.getClassLoader() == null
        && options.getWorkerPoolName() == null
        && options.getWorkerPoolSize() == SHARED_DEFAULT.getWorkerPoolSize()
        && options.getMaxWorkerExecuteTime() == SHARED_DEFAULT.getMaxWorkerExecuteTime()
        && options.getMaxWorkerExecuteTimeUnit() == SHARED_DEFAULT.getMaxWorkerExecuteTimeUnit()
        ? SHARED_DEFAULT : options;
  }

  /** @return whether this is a dynamic supervisor (for validation and descriptions) */
  abstract boolean isDynamic();

  /** @return which children a restart of {@code failed} touches, in start order */
  abstract List<String> affected(SupervisorOptions options, List<String> startOrder, String failed);

  /** @return whether a child that stopped (and is not restarted) is forgotten */
  abstract boolean forgets(ChildSpec spec);

  /** @return whether children are stopped all at once on shutdown, rather than in reverse order */
  abstract boolean stopsAllAtOnce();

  /**
   * @return whether {@code startChild} frees the mailbox once the id is reserved, rather than
   *     once the child has started: children of a dynamic supervisor have no order to keep
   */
  abstract boolean pipelinesStarts();

  /** Fails with {@code MAX_CHILDREN} when one more child does not fit. */
  abstract void checkRoom(int children, String supervisorName);

  /** Fails with {@code UNSUPPORTED} for an operation this kind does not offer. */
  abstract void checkSupported(String operation);

  /** @return the deployment options a child is deployed with */
  abstract DeploymentOptions deploymentOptions(ChildSpec spec);

  /** OTP's supervisor with a strategy: a fixed, ordered set of children. */
  static final class Static extends SupervisorKind {
    @Override
    boolean isDynamic() {
      return false;
    }

    @Override
    List<String> affected(SupervisorOptions options, List<String> startOrder, String failed) {
      return Strategies.affected(options.getStrategy(), startOrder, failed);
    }

    @Override
    boolean forgets(ChildSpec spec) {
      return spec.restart() == RestartType.TEMPORARY;
    }

    @Override
    boolean stopsAllAtOnce() {
      return false;
    }

    @Override
    boolean pipelinesStarts() {
      return false;
    }

    @Override
    void checkRoom(int children, String supervisorName) {
    }

    @Override
    void checkSupported(String operation) {
    }

    @Override
    DeploymentOptions deploymentOptions(ChildSpec spec) {
      return shareIfDefault(spec.deploymentOptions());
    }
  }

  /** OTP's {@code simple_one_for_one}: children added at run time, each on its own. */
  static final class Dynamic extends SupervisorKind {
    private final DynamicSupervisorOptions options;

    Dynamic(DynamicSupervisorOptions options) {
      this.options = options;
    }

    @Override
    boolean isDynamic() {
      return true;
    }

    @Override
    List<String> affected(SupervisorOptions options, List<String> startOrder, String failed) {
      return List.of(failed);
    }

    @Override
    boolean forgets(ChildSpec spec) {
      return true;
    }

    @Override
    boolean stopsAllAtOnce() {
      return true;
    }

    @Override
    boolean pipelinesStarts() {
      return true;
    }

    @Override
    void checkRoom(int children, String supervisorName) {
      if (children >= options.getMaxChildren()) {
        throw new SupervisorException(SupervisorError.MAX_CHILDREN, "supervisor '" + supervisorName + "' already has "
            + children + " children (maxChildren)");
      }
    }

    @Override
    void checkSupported(String operation) {
      throw new SupervisorException(SupervisorError.UNSUPPORTED, operation + " is not supported by a dynamic supervisor");
    }

    @Override
    DeploymentOptions deploymentOptions(ChildSpec spec) {
      DeploymentOptions deployment = spec.deploymentOptions();
      if (options.getExtraArguments().isEmpty()) {
        // Nothing to merge: no per-child config object (the child's config() is {} all the same).
        return shareIfDefault(deployment);
      }
      JsonObject config = options.getExtraArguments().copy();
      if (deployment.getConfig() != null) {
        config.mergeIn(deployment.getConfig());
      }
      return deployment.setConfig(config);
    }
  }
}
