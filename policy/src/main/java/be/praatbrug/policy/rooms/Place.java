package be.praatbrug.policy.rooms;

import java.util.Objects;

/**
 * A named place in a family session beside the room's own client (place 1): one person the
 * counsellor expects, with their own client record, code and consent. Nobody else can take it.
 *
 * @param number 2 or higher; place 1 is the room's client ({@link RoomSnapshot#clientRef})
 * @param clientRef the record of the person expected here; their consent and ledger entries go
 *     under it
 * @param userId who came in on this place (let in with its code), or {@code null} while it is free
 * @param parent the counsellor named this place a parent's or guardian's ({@code !gesprek ouder}):
 *     only such a place can agree for a child under 12 in the session
 */
public record Place(int number, String clientRef, String userId, boolean parent) {

  /** The room's own client: their code has no place of its own. */
  public static final int CLIENT = 1;

  public Place {
    if (number <= CLIENT) {
      throw new IllegalArgumentException("extra places are numbered from 2: " + number);
    }
    Objects.requireNonNull(clientRef, "clientRef");
  }

  /** A place that is not a parent's. */
  public Place(int number, String clientRef, String userId) {
    this(number, clientRef, userId, false);
  }

  public boolean isFree() {
    return userId == null;
  }

  public Place takenBy(String user) {
    return new Place(number, clientRef, user, parent);
  }
}
