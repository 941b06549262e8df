package be.praatbrug.bridge.pipeline;

import be.praatbrug.policy.Action;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor that changes nothing: it writes down what the real one would do. Decisions are data,
 * so a policy under edit can be tried on the live rooms before it is saved (the admin's "check").
 */
public final class DryRunExecutor implements ActionExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(DryRunExecutor.class);

  private final List<Action> planned = new ArrayList<>();

  @Override
  public Future<Void> execute(Action action, String idempotencyKey) {
    LOG.debug("dry run: would {} ({})", action.getClass().getSimpleName(), idempotencyKey);
    planned.add(action);
    return Future.succeededFuture();
  }

  /** What would have been done, in order. */
  public List<Action> planned() {
    return List.copyOf(planned);
  }
}
