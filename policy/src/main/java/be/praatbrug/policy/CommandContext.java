package be.praatbrug.policy;

import be.praatbrug.policy.rooms.RoomSnapshot;
import java.util.List;
import java.util.Set;

/**
 * What command decisions may look at besides the message: the sender's open counselling rooms and
 * the policies that exist.
 *
 * @param senderRooms open rooms in which the sender is the counsellor
 * @param guestLocalpartPrefix accounts Praatbrug makes for clients; they are never counsellors
 */
public record CommandContext(
    List<RoomSnapshot> senderRooms,
    Set<String> policyNames,
    String defaultPolicy,
    String guestLocalpartPrefix) {

  public CommandContext {
    senderRooms = List.copyOf(senderRooms);
    policyNames = Set.copyOf(policyNames);
  }

  /** No rooms and no policies: for contexts where only {@code !hulp} matters. */
  public static CommandContext empty() {
    return new CommandContext(List.of(), Set.of(), "", "\u0000");
  }
}
