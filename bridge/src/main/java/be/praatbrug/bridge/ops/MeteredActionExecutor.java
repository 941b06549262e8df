package be.praatbrug.bridge.ops;

import be.praatbrug.bridge.pipeline.ActionExecutor;
import be.praatbrug.policy.Action;
import io.vertx.core.Future;

/** Counts each action the bridge carries out, by kind and result, then hands it on unchanged. */
public final class MeteredActionExecutor implements ActionExecutor {

  private final ActionExecutor delegate;
  private final BridgeMetrics metrics;

  public MeteredActionExecutor(ActionExecutor delegate, BridgeMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  @Override
  public Future<Void> execute(Action action, String idempotencyKey) {
    return delegate.execute(action, idempotencyKey)
        .andThen(done -> metrics.action(action.getClass().getSimpleName(), done.succeeded()));
  }
}
