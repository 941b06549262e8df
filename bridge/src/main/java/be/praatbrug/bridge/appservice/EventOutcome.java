package be.praatbrug.bridge.appservice;

import java.util.List;

/**
 * How handling one pushed event ended; every event gets exactly one, logged with its txn and event
 * id. Never holds event content.
 */
public sealed interface EventOutcome {

  /** Actions were carried out; {@code actions} names them for the log. */
  record Handled(List<String> actions) implements EventOutcome {}

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
