package dev.overseer.bench;

/** One system measured in its own JVM: Overseer, plain Vert.x, or Pekko. */
interface Side {

  /** @return the figures of this system for the mode */
  Figures run(Mode mode) throws Exception;

  /** @return the version string of the system measured */
  String version();
}
