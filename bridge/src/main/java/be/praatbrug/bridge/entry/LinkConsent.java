package be.praatbrug.bridge.entry;

import be.praatbrug.bridge.clients.ClientRecord;
import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.consent.ConsentService;
import be.praatbrug.bridge.ledger.ConsentDecision;
import be.praatbrug.bridge.ledger.ConsentText;
import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.policy.clients.ConsentStatus;
import be.praatbrug.policy.rooms.Place;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Consent on the client page, once per client record and text version.
 *
 * <p>A link opens a room; the room belongs to a client record when the counsellor opened it for one
 * ({@code !gesprek nieuw voor <ref>}), or gets a new record when its client first consents. A
 * returning client whose consent to the current text is on record sees a confirmation and one
 * button instead of the form; a withdrawn consent or a new text version asks again.
 */
public final class LinkConsent {

  /** The page asks for consent again: the record has none in force (any more). */
  public static final String CONSENT_NEEDED = "BE.PRAATBRUG.CONSENT_NEEDED";

  private final ConsentService consent;
  private final ClientRecords clients;
  private final RoomRegistry registry;
  private final java.util.function.Predicate<String> familyRoom;

  public LinkConsent(ConsentService consent, ClientRecords clients, RoomRegistry registry) {
    this(consent, clients, registry, roomId -> false);
  }

  /** @param familyRoom whether a room is a family session's (its children may point to a parent's place) */
  public LinkConsent(ConsentService consent, ClientRecords clients, RoomRegistry registry,
      java.util.function.Predicate<String> familyRoom) {
    this.consent = consent;
    this.clients = clients;
    this.registry = registry;
    this.familyRoom = familyRoom;
  }

  /** Whether the room is a family session, where a parent can agree for a child on their own place. */
  public boolean isFamily(String roomId) {
    return familyRoom.test(roomId);
  }

  /**
   * Whether a child on {@code place} can lean on a parent in the session: a family session with a
   * place the counsellor named a parent's or guardian's ({@code !gesprek ouder}) other than theirs.
   */
  public boolean hasParentPlace(String roomId, int place) {
    return isFamily(roomId) && registry.places(roomId).stream()
        .anyMatch(named -> named.parent() && named.number() != place);
  }

  /**
   * What the page needs to know about the room's record: {@code status} ({@code given},
   * {@code none}, {@code withdrawn}, {@code new_version}) and, when given, the date and version.
   * Never the reference, a label or a name: whoever holds the link sees only this.
   */
  public Future<JsonObject> onRecord(String roomId, int place) {
    return standing(roomId, place).map(standing -> {
      JsonObject onRecord = new JsonObject().put("status", standing.status().wireName());
      standing.latest().filter(latest -> standing.status() == ConsentStatus.GIVEN)
          .ifPresent(given -> onRecord.put("given_at", given.at().toEpochMilli())
              .put("version", given.version()));
      return onRecord;
    });
  }

  /** Succeeds when the room's record has consent to {@code version} in force; else CONSENT_NEEDED. */
  public Future<Void> requireOnRecord(String roomId, int place, String version) {
    return standing(roomId, place).compose(standing ->
        standing.status() == ConsentStatus.GIVEN
            && standing.latest().map(latest -> latest.version().equals(version)).orElse(false)
            ? Future.succeededFuture() : Future.failedFuture(new NeedsConsent()));
  }

  /**
   * Records consent given on the page under the room's record, made now for a new client; once per
   * record and text version (a record that consented to this version already gets no second
   * entry). Returns the record's reference.
   */
  public Future<String> recordGiven(String roomId, int place, ConsentText shown,
      String guardianName, boolean guardianInSession) {
    CounsellingRoom room = registry.room(roomId);
    // A family session's named place has its record from the moment the counsellor named it.
    String known = recordOf(roomId, place);
    Future<String> ref = known != null || place != Place.CLIENT ? Future.succeededFuture(known)
        : clients.ofRoom(roomId, ClientRecord.LINK, room.counsellorId()).map(made -> {
          CounsellingRoom now = registry.room(roomId);
          if (now != null) {
            registry.put(now.withClientRef(made));
          }
          return made;
        });
    return ref.compose(made -> consent.standing(made).compose(standing -> {
      boolean already = standing.status() == ConsentStatus.GIVEN
          && standing.latest().map(latest -> latest.version().equals(shown.version())).orElse(false);
      return already ? Future.succeededFuture(made)
          : consent.recordFromLink(made, shown, guardianName, guardianInSession).map(made);
    }));
  }

  /**
   * Where the record stands for this room: a child's consent that leans on a parent in a family
   * session does not count where no parent has a place, so the page asks again (with a guardian
   * named).
   */
  private Future<ConsentService.Standing> standing(String roomId, int place) {
    return consent.standing(recordOf(roomId, place)).map(standing ->
        standing.latest().map(ConsentDecision::guardianInSession).orElse(false)
            && !hasParentPlace(roomId, place)
            ? new ConsentService.Standing(ConsentStatus.NONE, Optional.empty()) : standing);
  }

  /** The record of the room's client, or of a family session's named place. */
  private String recordOf(String roomId, int place) {
    CounsellingRoom room = registry.room(roomId);
    if (room == null) {
      return null;
    }
    return place == Place.CLIENT ? room.clientRef() : registry.places(roomId).stream()
        .filter(named -> named.number() == place).map(Place::clientRef).findFirst().orElse(null);
  }

  /** The record has no consent in force for the text the page showed. */
  static final class NeedsConsent extends RuntimeException {
    NeedsConsent() {
      super("no consent in force for this client record", null, false, false);
    }
  }
}
