package be.praatbrug.policy;

import java.util.List;
import java.util.Objects;

/**
 * What the policy core concluded about one event: act on it, or ignore it for a stated reason.
 *
 * <p>Expected outcomes (an event that concerns nobody) are {@link Ignore} values rather than
 * exceptions, so the bridge can log every event's outcome uniformly.
 */
public sealed interface Decision {

  /** Carry out these actions, in order. */
  record Act(List<Action> actions) implements Decision {
    public Act {
      actions = List.copyOf(actions);
      if (actions.isEmpty()) {
        throw new IllegalArgumentException("Act needs at least one action; use Ignore otherwise");
      }
    }
  }

  /** Nothing to do; {@code reason} is short, English and free of event content. */
  record Ignore(String reason) implements Decision {
    public Ignore {
      Objects.requireNonNull(reason, "reason");
    }
  }

  static Decision act(Action... actions) {
    return new Act(List.of(actions));
  }

  static Decision ignore(String reason) {
    return new Ignore(reason);
  }
}
