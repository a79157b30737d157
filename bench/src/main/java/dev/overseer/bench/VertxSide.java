package dev.overseer.bench;

import io.vertx.core.Vertx;

import java.util.concurrent.ConcurrentHashMap;

/** Plain Vert.x: the same counter verticle deployed directly, with no supervisor around it. */
final class VertxSide implements Side {

  @Override
  public String version() {
    return "vert.x " + Versions.vertx();
  }

  @Override
  public Figures run(Mode mode) {
    Figures figures = new Figures();
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(new CounterVerticle("bench.calls", null)).await();
    vertx.deployVerticle(new CounterVerticle("bench.rawMap", new ConcurrentHashMap<>())).await();
    EventBusLoad load = new EventBusLoad(vertx);
    CallFigures.measure(load, "bench.calls", mode, figures, "call");
    figures.note("call", "CounterVerticle deployed with vertx.deployVerticle, called with eventBus().request from another event loop");
    CallFigures.measure(load, "bench.rawMap", mode, figures, "state.rawMap");
    figures.note("state", "the same CounterVerticle writing its count to a ConcurrentHashMap on every call (the raw map operation)");
    return figures;
  }
}
