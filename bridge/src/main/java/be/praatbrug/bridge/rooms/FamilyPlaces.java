package be.praatbrug.bridge.rooms;

import be.praatbrug.bridge.clients.ClientRecord;
import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.rooms.KnockCode;
import be.praatbrug.policy.rooms.Place;
import be.praatbrug.policy.rooms.RoomSnapshot;
import be.praatbrug.policy.rules.Policy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A family session's named places: adding one (with its client record and its own code and link),
 * a fresh code for one, and each participant's part in the session in the ledger under their own
 * record, so that their own client file shows the family sessions.
 */
public final class FamilyPlaces {

  private static final Logger LOG = LoggerFactory.getLogger(FamilyPlaces.class);
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("dd/MM HH:mm").withZone(ZoneId.of("Europe/Brussels"));

  /** The parts it works with; all exist in the running bridge. */
  public record Parts(MatrixClient matrix, RoomStore rooms, PlaceStore places, RoomRegistry registry,
      PolicyRepository policies, ClientRecords clients, LedgerRecords records, byte[] codeKey,
      String publicBaseUrl, Clock clock) {}

  private final Parts parts;

  public FamilyPlaces(Parts parts) {
    this.parts = parts;
  }

  /** Puts the stored places into the registry (at startup, before rooms are reconciled). */
  public Future<Void> load() {
    return parts.places().all().map(all -> {
      all.forEach(parts.registry()::setPlaces);
      return null;
    });
  }

  /** Adds the place, its record (labelled with the name the counsellor gave) and its first code. */
  public Future<Void> add(Action.AddPlace action) {
    CounsellingRoom room = parts.registry().room(action.roomId());
    Policy policy = parts.policies().get(room.policyName());
    if (parts.registry().places(room.roomId()).size() >= policy.extraPlaces()) {
      // Said before a record is made for the name: a full room leaves nothing behind.
      return full(action, room);
    }
    Future<String> record = action.clientRef() != null ? Future.succeededFuture(action.clientRef())
        : parts.clients().fresh(ClientRecord.LINK, room.counsellorId())
            .compose(ref -> parts.clients().setLabel(ref, action.label()).map(ref));
    return record
        .compose(ref -> parts.places().add(room.roomId(), ref, action.parent(), policy.maxHumans() - 1,
            parts.clock().instant())
            .map(places -> {
              parts.registry().setPlaces(room.roomId(), places);
              return places.stream().filter(place -> place.clientRef().equals(ref))
                  .mapToInt(Place::number).max().orElseThrow();
            }))
        .compose(place -> issueCode(new Action.IssueKnockCode(room.roomId(), action.replyRoomId(), place), true))
        .recover(failure -> {
          if (failure instanceof PlaceStore.AlreadyPlaced) {
            return reply(action.replyRoomId(), "praatbrug.place.twice." + room.roomId() + "." + action.clientRef(),
                action.clientRef() + " heeft al een plaats in '" + room.name() + "'.\n" + action.clientRef()
                    + " already has a place in '" + room.name() + "'.");
          }
          return failure instanceof PlaceStore.NoPlaceLeft ? full(action, room) : Future.failedFuture(failure);
        });
  }

  private Future<Void> full(Action.AddPlace action, CounsellingRoom room) {
    return reply(action.replyRoomId(), "praatbrug.place.full." + room.roomId() + "." + parts.clock().millis(),
        "'" + room.name() + "' heeft al elke plaats die het beleid toelaat.\n'" + room.name()
            + "' already has every place its policy allows.");
  }

  /**
   * The counsellor made an existing place a parent's or guardian's, or took that back: only such a
   * place counts when a child under 12 says their parent takes part.
   */
  public Future<Void> setParent(Action.SetParentPlace action, String txnId) {
    CounsellingRoom room = parts.registry().room(action.roomId());
    String name = room == null ? action.roomId() : room.name();
    return parts.places().setParent(action.roomId(), action.place(), action.parent()).compose(changed -> {
      if (changed.isEmpty()) {
        return reply(action.replyRoomId(), txnId, "Plaats " + action.place() + " in '" + name + "' is er"
            + " niet meer (het gesprek is voorbij of de plaats is weg).\nPlace " + action.place() + " in '"
            + name + "' no longer exists (the session ended or the place went).");
      }
      parts.registry().setPlaces(action.roomId(), changed.get());
      String ref = changed.get().stream().filter(place -> place.number() == action.place())
          .map(Place::clientRef).findFirst().orElseThrow();
      return reply(action.replyRoomId(), txnId, action.parent()
          ? "👥 Plaats " + action.place() + " (" + ref + ") in '" + name + "' is nu die van een ouder of"
              + " voogd: die kan instemmen voor een kind onder 12 in dit gesprek.\nPlace " + action.place()
              + " (" + ref + ") in '" + name + "' is now a parent's or guardian's: they can agree for a"
              + " child under 12 in this session."
          : "👥 Plaats " + action.place() + " (" + ref + ") in '" + name + "' is niet langer die van een"
              + " ouder of voogd.\nPlace " + action.place() + " (" + ref + ") in '" + name + "' is no"
              + " longer a parent's or guardian's.");
    });
  }

  /**
   * The counsellor took the place's holder out: the place is free, its codes are gone, and their
   * part in the running session ends in the ledger now.
   */
  public Future<Void> free(Action.FreePlace action) {
    CounsellingRoom room = parts.registry().room(action.roomId());
    return parts.places().free(room.roomId(), action.place(), parts.clock().instant()).map(ended -> {
      parts.registry().setPlaces(room.roomId(), parts.registry().places(room.roomId()).stream()
          .map(place -> place.number() == action.place() ? place.takenBy(null) : place).toList());
      parts.registry().setCodes(room.roomId(), action.place(), List.of());
      ended.ifPresent(place -> parts.records().record(Entries.sessionLeft(place.clientRef(),
          place.place(), place.sessionId(), room.roomId(), room.counsellorId(), place.joinedAt(),
          place.endedAt())));
      return null;
    });
  }

  /** A fresh code and link for one named place; that place's older ones stop working. */
  public Future<Void> issueCode(Action.IssueKnockCode action, boolean newPlace) {
    CounsellingRoom room = parts.registry().room(action.roomId());
    Policy policy = parts.policies().get(room.policyName());
    Place place = parts.registry().places(room.roomId()).stream()
        .filter(named -> named.number() == action.place()).findFirst().orElseThrow();
    EntrySecrets.Pair fresh = EntrySecrets.fresh();
    Instant now = parts.clock().instant();
    Instant expires = now.plus(policy.knockCodeLifetime());
    String hash = KnockCode.hash(parts.codeKey(), fresh.code());
    String linkHash = KnockCode.hash(parts.codeKey(), fresh.linkSecret());
    boolean singleUse = policy.knockCodeSingleUse();
    return parts.rooms().replaceKnockCode(room.roomId(), place.number(), hash, linkHash, now, null,
            expires, singleUse)
        .compose(stored -> {
          parts.registry().setCodes(room.roomId(), place.number(), List.of(
              new KnockCode(hash, expires, singleUse, null, place.number()),
              new KnockCode(linkHash, expires, singleUse, null, place.number())));
          return reply(action.replyRoomId(), "praatbrug.code." + hash,
              codeNotice(room, place, fresh, expires, singleUse, newPlace));
        });
  }

  private String codeNotice(CounsellingRoom room, Place place, EntrySecrets.Pair fresh,
      Instant expires, boolean singleUse, boolean newPlace) {
    String shown = KnockCode.display(fresh.code());
    String link = parts.publicBaseUrl().replaceAll("/+$", "") + "/binnen/#" + fresh.linkSecret();
    return (newPlace ? "👥 Plaats " + place.number() + " in gezinsgesprek '" + room.name()
            + "' is voor cliëntdossier " + place.clientRef() + ". Alleen deze persoon kan ze innemen,"
            + " met een eigen toestemming." + (place.parent() ? " Als ouder of voogd kan die instemmen"
            + " voor een kind onder 12 in dit gesprek." : "") + "\n"
            : "🔑 Nieuwe code voor plaats " + place.number() + " (" + place.clientRef() + ") in '"
            + room.name() + "'; de vorige werkt niet meer.\n")
        + "Code: " + shown + " (" + (singleUse ? "één keer te gebruiken" : "meermaals te gebruiken")
        + ", geldig tot " + WHEN.format(expires) + "). Link: " + link + "\n\n"
        + (newPlace ? "👥 Place " + place.number() + " in family session '" + room.name()
            + "' is for client record " + place.clientRef() + ". Only this person can take it, with"
            + " their own consent." + (place.parent() ? " As a parent or guardian they can agree for a"
            + " child under 12 in this session." : "") + "\n"
            : "🔑 New code for place " + place.number() + " (" + place.clientRef() + ") in '"
            + room.name() + "'; the previous one no longer works.\n")
        + "Code: " + shown + " (" + (singleUse ? "single use" : "reusable") + ", valid until "
        + WHEN.format(expires) + "). Link: " + link;
  }

  /** A place's holder is in: their part in the running session goes into the ledger, once. */
  public Future<Void> entered(Action.PlaceEntered action) {
    return parts.places().runningSession(action.roomId()).compose(session -> session
        .map(sessionId -> record(action.roomId(), action.place(), sessionId))
        .orElseGet(Future::succeededFuture));
  }

  /** The session just started (the client is in): places already in take part from now. */
  public Future<Void> sessionStarted(String roomId) {
    RoomSnapshot view = parts.registry().snapshot(roomId, parts.clock().instant());
    return parts.places().runningSession(roomId).compose(session -> {
      if (session.isEmpty()) {
        return Future.succeededFuture();
      }
      Future<Void> all = Future.succeededFuture();
      for (Place place : parts.registry().places(roomId)) {
        if (!place.isFree() && "join".equals(view.membership(place.userId()))) {
          all = all.compose(done -> record(roomId, place.number(), session.get()));
        }
      }
      return all;
    });
  }

  private Future<Void> record(String roomId, int number, String sessionId) {
    CounsellingRoom room = parts.registry().room(roomId);
    Instant now = parts.clock().instant();
    return parts.places().markInSession(roomId, number, sessionId, now).map(first -> {
      if (first) {
        parts.registry().places(roomId).stream().filter(place -> place.number() == number)
            .findFirst().ifPresent(place -> parts.records().record(Entries.sessionJoined(
                place.clientRef(), number, sessionId, roomId, room.counsellorId(), now)));
      }
      return null;
    });
  }

  /** The session ended: its end under every participant's record; the places go with it. */
  public Future<Void> sessionEnded(String roomId, String counsellorId) {
    return parts.places().endSession(roomId).map(ended -> {
      parts.registry().setPlaces(roomId, List.of());
      ended.forEach(place -> parts.records().record(Entries.sessionLeft(place.clientRef(),
          place.place(), place.sessionId(), roomId, counsellorId, place.joinedAt(),
          place.endedAt() == null ? parts.clock().instant() : place.endedAt())));
      return null;
    });
  }

  private Future<Void> reply(String roomId, String txnId, String text) {
    return parts.matrix().sendEvent(roomId, "m.room.message", txnId,
            new JsonObject().put("msgtype", "m.notice").put("body", text))
        .onFailure(failure -> LOG.warn("a family session notice failed: {}", failure.toString()))
        .mapEmpty();
  }
}
