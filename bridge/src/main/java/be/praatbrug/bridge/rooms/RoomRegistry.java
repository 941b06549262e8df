package be.praatbrug.bridge.rooms;

import be.praatbrug.bridge.appservice.JsonBodies;
import be.praatbrug.bridge.widget.CallWidgetState;
import be.praatbrug.policy.MatrixEvent;
import be.praatbrug.policy.rooms.ExpectedRoomState;
import be.praatbrug.policy.rooms.Handover;
import be.praatbrug.policy.rooms.KnockCode;
import be.praatbrug.policy.rooms.Place;
import be.praatbrug.policy.rooms.RoomSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The bridge's in-memory picture of every counselling room: its record, its live state (members and
 * governed settings) and its usable knock codes.
 *
 * <p>Deciding from memory keeps the reaction to an unwanted join to one homeserver call; the picture
 * is rebuilt from the homeserver at startup and on every reconciliation, and kept current from the
 * events in between. Updated only from the bridge's event loop.
 */
public final class RoomRegistry {

  /**
   * The only state types besides members kept per room: the settings the policy governs and the
   * call widget, which is all the policy core reads ({@code RoomPolicyDecider.stateRepairs}
   * compares {@code PolicyContext.expectedState} with the snapshot). Create, name, topic, other
   * widgets and the like are never read; with thousands of rooms, keeping them costs memory for
   * nothing. A type the policy starts to govern must be added here.
   */
  static final Set<String> KEPT_STATE_TYPES = Stream.concat(ExpectedRoomState.GOVERNED_TYPES.stream(),
          Stream.of(CallWidgetState.WIDGET_EVENT_TYPE, CallWidgetState.LAYOUT_EVENT_TYPE))
      .collect(Collectors.toUnmodifiableSet());

  private final CompactState compact = new CompactState();
  private final Map<String, CounsellingRoom> rooms = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> memberships = new ConcurrentHashMap<>();
  /** Who sent each standing invite, per room (invitee → inviter): the invite rule asks. */
  private final Map<String, Map<String, String>> inviters = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Map<String, Object>>> states = new ConcurrentHashMap<>();
  private final Map<String, List<KnockCode>> codes = new ConcurrentHashMap<>();
  /** Warm referrals in progress; memory only, so a restart falls back to one-to-one. */
  private final Map<String, Handover> handovers = new ConcurrentHashMap<>();
  /** Who was let in per room and is on the way in (see {@link Admissions}). */
  private final Map<String, String> admitted = new ConcurrentHashMap<>();
  private final Map<String, List<Place>> places = new ConcurrentHashMap<>();
  /**
   * {@link #clientsInSession} is asked on every event but changes only when a room record does:
   * it is kept until the next {@link #put} or {@link #forget}, which bump the generation.
   */
  private final AtomicLong roomsGeneration = new AtomicLong();
  private volatile ClientsInSession clientsInSession;

  private record ClientsInSession(long generation, Set<String> clients) {}

  public boolean isManaged(String roomId) {
    return rooms.containsKey(roomId);
  }

  public CounsellingRoom room(String roomId) {
    return rooms.get(roomId);
  }

  public Collection<CounsellingRoom> rooms() {
    return List.copyOf(rooms.values());
  }

  public void put(CounsellingRoom room) {
    if ("deleted".equals(room.status())) {
      forget(room.roomId());
      return;
    }
    String roomId = CompactState.text(room.roomId());
    rooms.put(roomId, compact(room));
    roomsGeneration.incrementAndGet();
    memberships.computeIfAbsent(roomId, id -> new HashMap<>());
    states.computeIfAbsent(roomId, id -> new HashMap<>());
  }

  public void forget(String roomId) {
    rooms.remove(roomId);
    roomsGeneration.incrementAndGet();
    memberships.remove(roomId);
    inviters.remove(roomId);
    states.remove(roomId);
    codes.remove(roomId);
    handovers.remove(roomId);
    admitted.remove(roomId);
    places.remove(roomId);
  }

  /** Who was let into the room and is on the way in; {@code null} clears it. */
  public void setAdmitted(String roomId, String userId) {
    if (userId == null) {
      admitted.remove(roomId);
    } else {
      admitted.put(roomId, userId);
    }
  }

  public void setHandover(String roomId, Handover handover) {
    handovers.put(roomId, handover);
  }

  public Handover handover(String roomId) {
    return handovers.get(roomId);
  }

  public void clearHandover(String roomId) {
    handovers.remove(roomId);
  }

  /** Rooms whose handover window has closed without the handover being finished. */
  public List<String> expiredHandovers(Instant now) {
    return handovers.entrySet().stream().filter(entry -> !entry.getValue().isActiveAt(now))
        .map(Map.Entry::getKey).toList();
  }

  /** Open rooms where {@code userId} is waiting at the door (knocking). */
  public List<String> roomsKnockedOnBy(String userId) {
    return rooms.values().stream().filter(CounsellingRoom::isOpen)
        .filter(room -> "knock".equals(memberships.getOrDefault(room.roomId(), Map.of()).get(userId)))
        .map(CounsellingRoom::roomId).toList();
  }

  /** Open rooms of client record {@code ref}: where a withdrawal of consent ends the session. */
  public List<String> openRoomsOfClient(String ref) {
    return rooms.values().stream()
        .filter(room -> room.isOpen() && ref.equals(room.clientRef()))
        .map(CounsellingRoom::roomId).toList();
  }

  /** Open family sessions (rooms with named places) where {@code ref} is one of the records. */
  public List<String> openFamilyRoomsWith(String ref) {
    return places.entrySet().stream()
        .filter(entry -> rooms.get(entry.getKey()) != null && rooms.get(entry.getKey()).isOpen())
        .filter(entry -> ref.equals(rooms.get(entry.getKey()).clientRef())
            || entry.getValue().stream().anyMatch(place -> ref.equals(place.clientRef())))
        .map(Map.Entry::getKey).toList();
  }

  /** Open family sessions where {@code userId} holds a named place. */
  public List<String> openPlacesHeldBy(String userId) {
    return places.entrySet().stream()
        .filter(entry -> rooms.get(entry.getKey()) != null && rooms.get(entry.getKey()).isOpen())
        .filter(entry -> entry.getValue().stream().anyMatch(place -> userId.equals(place.userId())))
        .map(Map.Entry::getKey).toList();
  }

  /** Who knocks on {@code roomId} now. */
  public List<String> knockersIn(String roomId) {
    return memberships.getOrDefault(roomId, Map.of()).entrySet().stream()
        .filter(entry -> "knock".equals(entry.getValue())).map(Map.Entry::getKey).toList();
  }

  /** Open family sessions where {@code ref}'s named place is taken: room id → who took it. */
  public Map<String, String> openPlacesOf(String ref) {
    Map<String, String> taken = new HashMap<>();
    places.forEach((roomId, named) -> {
      CounsellingRoom room = rooms.get(roomId);
      if (room != null && room.isOpen()) {
        named.stream().filter(place -> ref.equals(place.clientRef()) && !place.isFree())
            .forEach(place -> taken.put(roomId, place.userId()));
      }
    });
    return taken;
  }

  /**
   * Clients of open sessions: overleg rooms keep them out, referrals never go to them. Unmodifiable
   * (so {@code Clients} takes it without copying) and computed once per change of the rooms.
   */
  public Set<String> clientsInSession() {
    // put and forget change the rooms before they bump the generation, and this reads it before
    // the rooms: a set computed while a room changes is kept under the old generation, so the
    // next call computes it again.
    long generation = roomsGeneration.get();
    ClientsInSession cached = clientsInSession;
    if (cached != null && cached.generation() == generation) {
      return cached.clients();
    }
    Set<String> clients = rooms.values().stream().filter(CounsellingRoom::isOpen)
        .flatMap(room -> java.util.stream.Stream.concat(
            java.util.stream.Stream.ofNullable(room.clientId()),
            places.getOrDefault(room.roomId(), List.of()).stream().map(Place::userId)
                .filter(java.util.Objects::nonNull)))
        .collect(Collectors.toUnmodifiableSet());
    clientsInSession = new ClientsInSession(generation, clients);
    return clients;
  }

  public void setCodes(String roomId, List<KnockCode> usable) {
    codes.put(roomId, List.copyOf(usable));
  }

  /** Replaces the usable codes of one place of the room, keeping the other places' codes. */
  public void setCodes(String roomId, int place, List<KnockCode> usable) {
    codes.compute(roomId, (id, current) -> {
      List<KnockCode> kept = new java.util.ArrayList<>(current == null ? List.of() : current);
      kept.removeIf(code -> code.place() == place);
      kept.addAll(usable);
      return List.copyOf(kept);
    });
  }

  /** A family session's named places (place 2 and up), as stored. */
  public void setPlaces(String roomId, List<Place> named) {
    if (named.isEmpty()) {
      places.remove(roomId);
    } else {
      places.put(roomId, List.copyOf(named));
    }
    // Place holders count as clients in session.
    roomsGeneration.incrementAndGet();
  }

  public List<Place> places(String roomId) {
    return places.getOrDefault(roomId, List.of());
  }

  /** Replaces a room's live state with the homeserver's ({@code GET /rooms/{id}/state}). */
  public void loadState(String room, JsonArray stateEvents) {
    String roomId = CompactState.text(room);
    Map<String, String> members = new HashMap<>();
    Map<String, String> invitedBy = new HashMap<>();
    Map<String, Map<String, Object>> state = new HashMap<>();
    for (int i = 0; i < stateEvents.size(); i++) {
      JsonObject event = stateEvents.getJsonObject(i);
      String type = event.getString("type");
      String stateKey = event.getString("state_key", "");
      JsonObject content = event.getJsonObject("content", new JsonObject());
      if ("m.room.member".equals(type)) {
        String userId = CompactState.text(stateKey);
        members.put(userId, CompactState.membership(content.getString("membership", "leave")));
        if ("invite".equals(content.getString("membership")) && event.getString("sender") != null) {
          invitedBy.put(userId, CompactState.text(event.getString("sender")));
        }
      } else if (KEPT_STATE_TYPES.contains(type)) {
        state.put(CompactState.text(RoomSnapshot.stateKey(type, stateKey)),
            compact.content(JsonBodies.plainMap(content)));
      }
    }
    memberships.put(roomId, members);
    inviters.put(roomId, invitedBy);
    states.put(roomId, state);
  }

  /** Keeps the live state current with an event the homeserver accepted. */
  public void apply(MatrixEvent event) {
    if (!event.isState() || !rooms.containsKey(event.roomId())) {
      return;
    }
    if (event.type().equals("m.room.member")) {
      String membership = event.contentString("membership");
      setMembership(event.roomId(), event.stateKey(), membership == null ? "leave" : membership,
          event.sender());
    } else if (KEPT_STATE_TYPES.contains(event.type())) {
      states.computeIfAbsent(CompactState.text(event.roomId()), id -> new HashMap<>())
          .put(CompactState.text(RoomSnapshot.stateKey(event.type(), event.stateKey())),
              compact.content(event.content()));
    }
  }

  /** Records a membership the bridge itself just caused, before the homeserver echoes it back. */
  public void setMembership(String roomId, String userId, String membership) {
    setMembership(roomId, userId, membership, null);
  }

  /** @param sender who caused it: for an invite, the inviter the invite rule judges */
  public void setMembership(String roomId, String userId, String membership, String sender) {
    String room = CompactState.text(roomId);
    String user = CompactState.text(userId);
    memberships.computeIfAbsent(room, id -> new HashMap<>()).put(user, CompactState.membership(membership));
    Map<String, String> invitedBy = inviters.computeIfAbsent(room, id -> new HashMap<>());
    if ("invite".equals(membership) && sender != null) {
      invitedBy.put(user, CompactState.text(sender));
    } else {
      invitedBy.remove(user);
    }
  }

  /** The record with its repeated strings (ids, policy, status) shared between rooms. */
  private static CounsellingRoom compact(CounsellingRoom room) {
    return new CounsellingRoom(CompactState.text(room.roomId()), CompactState.text(room.policyName()),
        CompactState.text(room.counsellorId()), CompactState.text(room.controlRoomId()), room.name(),
        CompactState.text(room.status()), CompactState.text(room.clientId()), room.clientRef(),
        room.createdAt(), room.sessionStartedAt(), room.closedAt());
  }

  public RoomSnapshot snapshot(String roomId, Instant now) {
    CounsellingRoom room = rooms.get(roomId);
    return new RoomSnapshot(room.roomId(), room.name(), room.policyName(), room.counsellorId(),
        room.controlRoomId(), room.clientId(), room.isOpen(),
        memberships.getOrDefault(roomId, Map.of()), states.getOrDefault(roomId, Map.of()),
        codes.getOrDefault(roomId, List.of()), now, handovers.get(roomId), room.clientRef(),
        admitted.get(roomId), inviters.getOrDefault(roomId, Map.of()),
        places.getOrDefault(roomId, List.of()));
  }

  /** Open rooms where {@code counsellorId} is the counsellor, oldest first. */
  public List<RoomSnapshot> openRoomsOf(String counsellorId, Instant now) {
    return openRoomsOf(counsellorId, null, now);
  }

  /**
   * The same, plus open rooms whose notices go to {@code controlRoomId}, the direct chat the
   * command came from: after a warm referral the partner is the room's counsellor, but the room is
   * still this organisation's and its referring counsellor still ends it from there.
   */
  public List<RoomSnapshot> openRoomsOf(String counsellorId, String controlRoomId, Instant now) {
    List<RoomSnapshot> open = new ArrayList<>();
    rooms.values().stream()
        .filter(room -> room.isOpen() && (room.counsellorId().equals(counsellorId)
            || (controlRoomId != null && controlRoomId.equals(room.controlRoomId()))))
        .sorted(java.util.Comparator.comparing(CounsellingRoom::createdAt))
        .forEach(room -> open.add(snapshot(room.roomId(), now)));
    return open;
  }
}
