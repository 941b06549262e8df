package be.praatbrug.policy.rooms;

import be.praatbrug.policy.MatrixEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the bridge knows about one counselling room at the moment an event arrives, before the event
 * is applied.
 *
 * @param name the room's handle, e.g. {@code rustige-groene-boot}; carries no personal data
 * @param controlRoomId the counsellor's direct chat with the bot, where notices about the room go
 * @param clientId the client while a session runs, else {@code null}
 * @param open false once the session ended; a closed room admits nobody
 * @param memberships current membership per user id ({@code join}, {@code invite}, {@code knock}, ...)
 * @param state the room's current state contents by {@link #stateKey(String, String)}
 * @param codes knock codes that are neither spent nor revoked (expiry is checked against {@code now})
 * @param handover the warm referral in progress, or {@code null}; may have expired by {@code now}
 * @param clientRef the client record the room belongs to, or {@code null} while a new client has
 *     not come in yet
 * @param admittedId who was let in (by code or by the counsellor) and is on the way in, recorded
 *     before the invite went out; {@code null} when nobody is
 * @param invitedBy who sent each standing invite (invitee → inviter), where known
 * @param places a family session's named places beside the client's own (empty elsewhere)
 */
public record RoomSnapshot(
    String roomId,
    String name,
    String policyName,
    String counsellorId,
    String controlRoomId,
    String clientId,
    boolean open,
    Map<String, String> memberships,
    Map<String, Map<String, Object>> state,
    List<KnockCode> codes,
    Instant now,
    Handover handover,
    String clientRef,
    String admittedId,
    Map<String, String> invitedBy,
    List<Place> places) {

  public RoomSnapshot {
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(counsellorId, "counsellorId");
    memberships = Map.copyOf(memberships);
    invitedBy = Map.copyOf(invitedBy);
    state = Map.copyOf(state);
    codes = List.copyOf(codes);
    places = List.copyOf(places);
  }

  /** A room without named places (every room but a family session's). */
  public RoomSnapshot(String roomId, String name, String policyName, String counsellorId,
      String controlRoomId, String clientId, boolean open, Map<String, String> memberships,
      Map<String, Map<String, Object>> state, List<KnockCode> codes, Instant now,
      Handover handover, String clientRef, String admittedId, Map<String, String> invitedBy) {
    this(roomId, name, policyName, counsellorId, controlRoomId, clientId, open, memberships, state,
        codes, now, handover, clientRef, admittedId, invitedBy, List.of());
  }

  /** A room whose invites' senders are not known. */
  public RoomSnapshot(String roomId, String name, String policyName, String counsellorId,
      String controlRoomId, String clientId, boolean open, Map<String, String> memberships,
      Map<String, Map<String, Object>> state, List<KnockCode> codes, Instant now,
      Handover handover, String clientRef, String admittedId) {
    this(roomId, name, policyName, counsellorId, controlRoomId, clientId, open, memberships, state,
        codes, now, handover, clientRef, admittedId, Map.of());
  }

  /** A room without a referral in progress, for a new client, with nobody on the way in. */
  public RoomSnapshot(String roomId, String name, String policyName, String counsellorId,
      String controlRoomId, String clientId, boolean open, Map<String, String> memberships,
      Map<String, Map<String, Object>> state, List<KnockCode> codes, Instant now) {
    this(roomId, name, policyName, counsellorId, controlRoomId, clientId, open, memberships, state,
        codes, now, null, null, null);
  }

  /** A room for a new client (no record yet), with nobody on the way in. */
  public RoomSnapshot(String roomId, String name, String policyName, String counsellorId,
      String controlRoomId, String clientId, boolean open, Map<String, String> memberships,
      Map<String, Map<String, Object>> state, List<KnockCode> codes, Instant now,
      Handover handover) {
    this(roomId, name, policyName, counsellorId, controlRoomId, clientId, open, memberships, state,
        codes, now, handover, null, null);
  }

  /** A room of a client record, with nobody on the way in. */
  public RoomSnapshot(String roomId, String name, String policyName, String counsellorId,
      String controlRoomId, String clientId, boolean open, Map<String, String> memberships,
      Map<String, Map<String, Object>> state, List<KnockCode> codes, Instant now,
      Handover handover, String clientRef) {
    this(roomId, name, policyName, counsellorId, controlRoomId, clientId, open, memberships, state,
        codes, now, handover, clientRef, null);
  }

  /**
   * The person let in whose session has not started yet (invited, or joined while the bridge was
   * not looking), else {@code null}: they count as the client, not as an intruder.
   */
  public String pendingClient() {
    return clientId == null ? admittedId : null;
  }

  /** The referral partner while the handover window is open, else {@code null}. */
  public String activePartner() {
    return handover != null && handover.isActiveAt(now) ? handover.partnerId() : null;
  }

  /**
   * People the member limit counts: {@link #humans} without the referral partner while the
   * handover window is open, the one exception the limit has.
   */
  public long countedHumans(String botUserId) {
    String partner = activePartner();
    boolean partnerPresent = partner != null
        && (membership(partner).equals("join") || membership(partner).equals("invite"));
    return humans(botUserId) - (partnerPresent ? 1 : 0);
  }

  public static String stateKey(String eventType, String stateKey) {
    return eventType + "|" + (stateKey == null ? "" : stateKey);
  }

  public String membership(String userId) {
    return memberships.getOrDefault(userId, "leave");
  }

  /** Who sent {@code userId}'s standing invite, or {@code null} when unknown or not invited. */
  public String inviter(String userId) {
    return "invite".equals(membership(userId)) ? invitedBy.get(userId) : null;
  }

  public Map<String, Object> stateContent(String eventType) {
    return state.get(stateKey(eventType, ""));
  }

  /** People who are in or invited, not counting the bot: what the member limit counts. */
  public long humans(String botUserId) {
    return memberships.entrySet().stream()
        .filter(entry -> !entry.getKey().equals(botUserId))
        .filter(entry -> entry.getValue().equals("join") || entry.getValue().equals("invite"))
        .count();
  }

  /** This snapshot with {@code userId}'s membership replaced, e.g. to judge the room after an event. */
  public RoomSnapshot withMembership(String userId, String membership) {
    Map<String, String> changed = new HashMap<>(memberships);
    changed.put(userId, membership);
    return new RoomSnapshot(roomId, name, policyName, counsellorId, controlRoomId, clientId, open,
        changed, state, codes, now, handover, clientRef, admittedId, invitedBy, places);
  }

  /** The snapshot after a state event, for keeping a cached snapshot current. */
  public RoomSnapshot apply(MatrixEvent event) {
    if (!event.isState()) {
      return this;
    }
    if (event.type().equals("m.room.member")) {
      String membership = event.contentString("membership");
      RoomSnapshot changed = withMembership(event.stateKey(), membership == null ? "leave" : membership);
      if (!"invite".equals(membership)) {
        return changed;
      }
      Map<String, String> inviters = new HashMap<>(invitedBy);
      inviters.put(event.stateKey(), event.sender());
      return new RoomSnapshot(roomId, name, policyName, counsellorId, controlRoomId, clientId, open,
          changed.memberships(), state, codes, now, handover, clientRef, admittedId, inviters, places);
    }
    Map<String, Map<String, Object>> changed = new HashMap<>(state);
    changed.put(stateKey(event.type(), event.stateKey()), event.content());
    return new RoomSnapshot(roomId, name, policyName, counsellorId, controlRoomId, clientId, open,
        memberships, changed, codes, now, handover, clientRef, admittedId, invitedBy, places);
  }

  /** This snapshot with a family session's places replaced. */
  public RoomSnapshot withPlaces(List<Place> changed) {
    return new RoomSnapshot(roomId, name, policyName, counsellorId, controlRoomId, clientId, open,
        memberships, state, codes, now, handover, clientRef, admittedId, invitedBy, changed);
  }

  /**
   * The place {@code userId} came in on: {@link Place#CLIENT} for the room's client (in session or
   * let in), a named place's number, or 0 when they hold none.
   */
  public int placeOf(String userId) {
    if (userId.equals(clientId) || userId.equals(pendingClient())) {
      return Place.CLIENT;
    }
    return places.stream().filter(place -> userId.equals(place.userId()))
        .mapToInt(Place::number).findFirst().orElse(0);
  }

  /** The named place with this number, if the room has it. */
  public java.util.Optional<Place> place(int number) {
    return places.stream().filter(place -> place.number() == number).findFirst();
  }

  /** Who holds place {@code number} (the client for place 1), or {@code null} while it is free. */
  public String holderOf(int number) {
    if (number == Place.CLIENT) {
      return clientId != null ? clientId : admittedId;
    }
    return place(number).map(Place::userId).orElse(null);
  }
}
