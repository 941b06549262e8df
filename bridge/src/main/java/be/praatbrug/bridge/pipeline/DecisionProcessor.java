package be.praatbrug.bridge.pipeline;

import be.praatbrug.bridge.appservice.EventOutcome;
import be.praatbrug.bridge.appservice.EventProcessor;
import be.praatbrug.bridge.rooms.PolicyRepository;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.BotDecider;
import be.praatbrug.policy.CommandContext;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.MatrixEvent;
import be.praatbrug.policy.rooms.PolicyContext;
import be.praatbrug.policy.rooms.RoomPolicyDecider;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

/**
 * The path from one pushed event to its effects: pick the decision for the room (counselling room
 * under policy, or a chat with the bot), ask the pure policy core, carry out its actions in order.
 */
public final class DecisionProcessor implements EventProcessor {

  private final BotContext bot;
  private final RoomRegistry registry;
  private final PolicyRepository policies;
  private final byte[] knockCodeKey;
  private final String guestLocalpartPrefix;
  private final Clock clock;
  private final ActionExecutor executor;

  public DecisionProcessor(BotContext bot, RoomRegistry registry, PolicyRepository policies,
      byte[] knockCodeKey, String guestLocalpartPrefix, Clock clock, ActionExecutor executor) {
    this.bot = bot;
    this.registry = registry;
    this.policies = policies;
    this.knockCodeKey = knockCodeKey.clone();
    this.guestLocalpartPrefix = guestLocalpartPrefix;
    this.clock = clock;
    this.executor = executor;
  }

  @Override
  public Future<EventOutcome> process(MatrixEvent event) {
    Decision decision = decide(event);
    // The decision was taken on the state before the event; from now on the event is part of it.
    registry.apply(event);
    if (decision instanceof Decision.Ignore ignore) {
      return Future.succeededFuture(new EventOutcome.Ignored(ignore.reason()));
    }
    return execute(event, ((Decision.Act) decision).actions());
  }

  private Decision decide(MatrixEvent event) {
    if (registry.isManaged(event.roomId())) {
      var room = registry.room(event.roomId());
      PolicyContext context = new PolicyContext(bot, policies.get(room.policyName()), knockCodeKey);
      return RoomPolicyDecider.decide(context, registry.snapshot(event.roomId(), clock.instant()), event);
    }
    CommandContext commands = new CommandContext(
        registry.openRoomsOf(event.sender(), clock.instant()), policies.names(),
        policies.defaultName(), guestLocalpartPrefix);
    return BotDecider.decide(bot, event, commands);
  }

  private Future<EventOutcome> execute(MatrixEvent event, List<Action> actions) {
    List<String> names = actions.stream().map(action -> action.getClass().getSimpleName()).toList();
    return executor.executeInOrder(actions, index -> idempotencyKey(event.eventId(), index))
        .map(done -> new EventOutcome.Handled(names));
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
