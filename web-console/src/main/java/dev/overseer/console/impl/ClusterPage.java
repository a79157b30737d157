package dev.overseer.console.impl;

import dev.overseer.ClusterView;
import dev.overseer.Overseer;
import dev.overseer.SupervisorEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The console's cluster page: reads the {@link ClusterView} the cluster module registered for
 * this Vert.x ({@link Overseer#clusterView}), and hears from it when something changed and when a
 * distributed child moved to this member. Without a view (an embedded Vert.x) it answers
 * {@code {"clustered": false}} and the page hides the cluster view. Used on the console's context
 * only, except the listener, which hops there.
 */
public final class ClusterPage {

  /** Children listed per distributed supervisor at most; more are counted, not listed. */
  public static final int MAX_CHILDREN = 5_000;

  private final Vertx vertx;
  private final Context context;
  private final Runnable onChange;
  private final Handler<SupervisorEvent> onEvent;
  private final AtomicBoolean changeQueued = new AtomicBoolean();
  private final ClusterView.Listener listener = new ClusterView.Listener() {
    @Override
    public void changed() {
      // a handoff of 1,000 children changes 1,000 rows: one hop to the context for all of them
      if (changeQueued.compareAndSet(false, true)) {
        context.runOnContext(v -> {
          changeQueued.set(false);
          onChange.run();
        });
      }
    }

    @Override
    public void event(SupervisorEvent event) {
      context.runOnContext(v -> onEvent.handle(event));
    }
  };
  private ClusterView attached;

  /**
   * @param vertx the Vert.x instance
   * @param context the console's context
   * @param onChange run on the context when the cluster changed
   * @param onEvent run on the context with each move of a distributed child to this member
   */
  public ClusterPage(Vertx vertx, Context context, Runnable onChange, Handler<SupervisorEvent> onEvent) {
    this.vertx = vertx;
    this.context = context;
    this.onChange = onChange;
    this.onEvent = onEvent;
  }

  /**
   * Listens to the registered view, if there is one now (a view registered after the console
   * started is found at the next read).
   *
   * @return whether there is a view
   */
  public boolean attach() {
    ClusterView view = Overseer.clusterView(vertx);
    if (view != null && view != attached) {
      if (attached != null) {
        attached.removeListener(listener);
      }
      view.addListener(listener);
      attached = view;
    }
    return attached != null;
  }

  /** Stops listening. */
  public void stop() {
    if (attached != null) {
      attached.removeListener(listener);
      attached = null;
    }
  }

  /**
   * @return {@code {"clustered": false, "members": [], "supervisors": []}} without a cluster,
   *     else {@code {"clustered": true, "generatedAt", "self", "members", "supervisors"}} as
   *     {@link ClusterView#describe} reads it
   */
  public Future<JsonObject> snapshot() {
    if (!attach()) {
      return Future.succeededFuture(new JsonObject().put("clustered", false)
          .put("members", new JsonArray()).put("supervisors", new JsonArray()));
    }
    return attached.describe(MAX_CHILDREN).map(json -> json.put("clustered", true)
        .put("generatedAt", java.time.Instant.now().toString()));
  }
}
