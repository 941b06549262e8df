package be.praatbrug.policy.guests;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.MatrixEvent;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps each guest account inside the one counselling room it was made for.
 *
 * <p>A client without an app gets a Praatbrug guest account and its access token in the browser.
 * That token could call any Matrix API: knock on or join other rooms, accept invites, create rooms.
 * An appservice cannot refuse such requests, but it owns these accounts, so it answers every such
 * step by making the guest leave again. Unknown guests (ended, or never handed out) may be nowhere.
 */
public final class GuestBoundary {

  private GuestBoundary() {}

  /**
   * The decision for {@code event} when it is a guest stepping outside its room; empty when the
   * event is not about a guest, or the guest stays where it belongs.
   *
   * @param assignedRooms guest user id → the room it may be in
   */
  public static Optional<Decision> decide(
      GuestNamespace guests, Map<String, String> assignedRooms, MatrixEvent event) {
    String guest = guestConcerned(guests, event);
    if (guest == null || event.roomId().equals(assignedRooms.get(guest))) {
      return Optional.empty();
    }
    return Optional.of(Decision.act(new Action.LeaveAsGuest(event.roomId(), guest)));
  }

  /** The guest whose presence in the room grows with this event, or null. */
  private static String guestConcerned(GuestNamespace guests, MatrixEvent event) {
    if ("m.room.member".equals(event.type())) {
      String membership = event.contentString("membership");
      boolean entering = "join".equals(membership) || "knock".equals(membership)
          || "invite".equals(membership);
      return entering && guests.contains(event.stateKey()) ? event.stateKey() : null;
    }
    // Anything else a guest sends (a room it created, a message) outside its room also ends there.
    return guests.contains(event.sender()) ? event.sender() : null;
  }
}
