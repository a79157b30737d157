package dev.overseer.impl;

import dev.overseer.ChildHandle;
import io.vertx.core.Context;

/** Finds the host of the supervised child that owns a context. */
final class ChildHandleLookup {

  private ChildHandleLookup() {
  }

  static ChildHost host(Context context) {
    return ChildHandle.of(context).filter(ChildHost.class::isInstance).map(ChildHost.class::cast).orElse(null);
  }
}
