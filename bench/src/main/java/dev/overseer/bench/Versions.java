package dev.overseer.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Versions of the libraries measured, read from the jars they were loaded from. */
final class Versions {

  private static final Pattern JAR_VERSION = Pattern.compile("-(\\d[^/]*?)\\.jar$");

  private Versions() {
  }

  static String vertx() {
    return of("io.vertx.core.Vertx");
  }

  static String pekko() {
    return of("org.apache.pekko.actor.typed.ActorSystem");
  }

  static String overseer() {
    return of("dev.overseer.Supervisor");
  }

  /** @return the version in the name of the jar a class came from, or "unknown" (classes directory) */
  static String of(String className) {
    try {
      String location = Class.forName(className).getProtectionDomain().getCodeSource().getLocation().getPath();
      Matcher m = JAR_VERSION.matcher(location);
      return m.find() ? m.group(1) : "unknown (" + location + ")";
    } catch (ReflectiveOperationException | RuntimeException e) {
      return "unknown (" + e + ")";
    }
  }
}
