package be.praatbrug.bridge.appservice;

import io.vertx.core.Future;
import java.util.List;

/**
 * How handling one pushed event ended; every event gets exactly one, logged with its txn and event
 * id. Never holds event content.
 */
public sealed interface EventOutcome {

  /**
   * Actions were decided and started; {@code actions} names them for the log. {@code settled}
   * completes when the last is done: at once for most events, later for a removal, which is carried
   * out after the transaction is answered (see {@code pipeline.EventActions}).
   */
  record Handled(List<String> actions, Future<Void> settled) implements EventOutcome {
    public Handled(List<String> actions) {
      this(actions, Future.succeededFuture());
    }
  }

  /** Nothing to do, for an expected reason. */
  record Ignored(String reason) implements EventOutcome {}

  /** Handling failed; the transaction is still acknowledged so one bad event cannot stall the rest. */
  record Failed(Throwable error) implements EventOutcome {}

  default String describe() {
    if (this instanceof Handled handled) {
      return "handled " + handled.actions();
    }
    if (this instanceof Ignored ignored) {
      return "ignored (" + ignored.reason() + ")";
    }
    return "failed (" + ((Failed) this).error() + ")";
  }
}
