package dev.overseer.bench;

/** One system measured in its own JVM: Overseer, plain Vert.x, or Pekko. */
interface Side {

  /**
   * @param part {@code main} (restart, calls, state, group restart) or {@code scale} (many
   *     children): the scale figures get a JVM of their own, so that neither the heap left by
   *     the other figures nor 100,000 live children distort the rest
   * @return the figures of this system for the mode
   */
  Figures run(Mode mode, String part) throws Exception;

  /** @return the version string of the system measured */
  String version();
}
