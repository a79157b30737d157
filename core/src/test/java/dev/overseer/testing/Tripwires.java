package dev.overseer.testing;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Classes whose static initializers record that they ran: a test names them in a request (by
 * string, which initializes nothing) and checks afterwards that nobody initialized them.
 */
public final class Tripwires {

  /** Simple names of the tripwire classes whose static initializer has run. */
  public static final Set<String> INITIALIZED = ConcurrentHashMap.newKeySet();

  private Tripwires() {
  }

  /** @return the binary name of a tripwire class, for a JSON spec */
  public static String name(String simpleName) {
    return Tripwires.class.getName() + "$" + simpleName;
  }

  /** A verticle that would start fine, if anyone let it. */
  public static class Verticle extends VerticleBase {
    static {
      INITIALIZED.add("Verticle");
    }

    @Override
    public Future<?> start() {
      return Future.succeededFuture();
    }
  }

  /** Not a verticle at all. */
  public static class NotAVerticle {
    static {
      INITIALIZED.add("NotAVerticle");
    }
  }

  /** A verticle that cannot be instantiated by name. */
  public static class NoDefaultConstructor extends VerticleBase {
    static {
      INITIALIZED.add("NoDefaultConstructor");
    }

    /** @param x anything */
    public NoDefaultConstructor(int x) {
    }
  }

  /** A verticle that cannot be instantiated at all. */
  public abstract static class Abstract extends VerticleBase {
    static {
      INITIALIZED.add("Abstract");
    }
  }
}
