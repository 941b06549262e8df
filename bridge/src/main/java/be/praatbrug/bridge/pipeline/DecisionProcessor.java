package be.praatbrug.bridge.pipeline;

import be.praatbrug.bridge.appservice.EventOutcome;
import be.praatbrug.bridge.appservice.EventProcessor;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.BotDecider;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.MatrixEvent;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The path from one pushed event to its effects: ask the pure policy core for a decision, then
 * carry out its actions in order.
 */
public final class DecisionProcessor implements EventProcessor {

  private final BotContext context;
  private final ActionExecutor executor;

  public DecisionProcessor(BotContext context, ActionExecutor executor) {
    this.context = context;
    this.executor = executor;
  }

  @Override
  public Future<EventOutcome> process(MatrixEvent event) {
    Decision decision = BotDecider.decide(context, event);
    if (decision instanceof Decision.Ignore ignore) {
      return Future.succeededFuture(new EventOutcome.Ignored(ignore.reason()));
    }
    List<Action> actions = ((Decision.Act) decision).actions();
    Future<Void> chain = Future.succeededFuture();
    List<String> names = new ArrayList<>(actions.size());
    for (int i = 0; i < actions.size(); i++) {
      Action action = actions.get(i);
      String key = idempotencyKey(event.eventId(), i);
      names.add(action.getClass().getSimpleName());
      chain = chain.compose(previous -> executor.execute(action, key));
    }
    return chain.map(done -> new EventOutcome.Handled(names));
  }

  /** Stable per (event, action index): a resent event yields the same homeserver txn ids. */
  static String idempotencyKey(String eventId, int actionIndex) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest((eventId + "#" + actionIndex).getBytes(StandardCharsets.UTF_8));
      return "praatbrug." + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
