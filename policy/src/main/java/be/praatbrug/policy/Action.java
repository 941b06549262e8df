package be.praatbrug.policy;

/**
 * Something the bridge must do on the homeserver as the outcome of a decision.
 *
 * <p>Decisions are data: the policy core only describes actions, the bridge's executor carries them
 * out. That keeps the core testable without a homeserver and lets a dry-run executor sit beside
 * the real one.
 */
public sealed interface Action {

  /** The room the action applies to. */
  String roomId();

  /** The bot joins a room it was invited to. */
  record JoinRoom(String roomId) implements Action {}

  /**
   * The bot posts an {@code m.notice} (bots use notices so clients never answer them automatically).
   *
   * @param plainText the body; Dutch first, English second for user-facing text
   */
  record SendNotice(String roomId, String plainText) implements Action {}
}
