package be.praatbrug.bridge.rooms;

import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.rooms.ExpectedRoomState;
import be.praatbrug.policy.rooms.FamilyCommands;
import be.praatbrug.policy.rooms.Handover;
import be.praatbrug.policy.rooms.KnockCode;
import be.praatbrug.policy.rooms.Place;
import be.praatbrug.policy.rooms.PolicyContext;
import be.praatbrug.policy.rooms.SessionCommands;
import be.praatbrug.policy.rules.Policy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the room actions that involve more than one call: creating a counselling room,
 * issuing knock codes, starting and ending sessions. Keeps store and registry in step.
 */
public final class RoomLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(RoomLifecycle.class);
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("dd/MM HH:mm").withZone(ZoneId.of("Europe/Brussels"));

  private final MatrixClient matrix;
  private final RoomStore store;
  private final RoomRegistry registry;
  private final PolicyRepository policies;
  private final Clock clock;
  private final byte[] secret;
  private final String publicBaseUrl;
  private final LedgerRecords records;
  private final Map<String, Map<String, Object>> callWidgetState;
  private final ClientRecords clients;
  private final java.util.function.Predicate<String> isGuest;

  /**
   * @param clients the client records rooms and sessions belong to
   * @param isGuest whether a user id is a guest account made for a link client
   */
  public RoomLifecycle(MatrixClient matrix, RoomStore store, RoomRegistry registry,
      PolicyRepository policies, Clock clock, byte[] secret, String publicBaseUrl,
      LedgerRecords records, Map<String, Map<String, Object>> callWidgetState,
      ClientRecords clients, java.util.function.Predicate<String> isGuest) {
    this.clients = clients;
    this.isGuest = isGuest;
    this.records = records;
    this.callWidgetState = callWidgetState;
    this.matrix = matrix;
    this.store = store;
    this.registry = registry;
    this.policies = policies;
    this.clock = clock;
    this.secret = secret.clone();
    this.publicBaseUrl = publicBaseUrl.replaceAll("/+$", "");
  }

  /** Creates the room with the policy's state from the first event on, then issues the first code. */
  public Future<Void> create(Action.CreateCounsellingRoom action) {
    return createRoom(action.roomId(), action.counsellorId(), action.policyName(), action.clientRef())
        .compose(room -> issueCode(new Action.IssueKnockCode(room.roomId(), action.roomId()), true));
  }

  /** Creates an overleg room: the same governed state, no knock code; the convenor invites. */
  public Future<Void> createOverleg(Action.CreateOverlegRoom action) {
    Policy policy = policies.get(action.policyName());
    return createRoom(action.roomId(), action.convenorId(), action.policyName(), null)
        .compose(room -> matrix.sendEvent(action.roomId(), "m.room.message", "praatbrug.overleg." + room.roomId(),
            new JsonObject().put("msgtype", "m.notice").put("body", "✅ Overlegruimte '" + room.name()
                + "' (" + room.roomId() + ", beleid " + policy.name() + ") staat klaar; je bent uitgenodigd. Nodig er zelf "
                + "collega's in uit: hoogstens " + policy.maxHumans() + " personen, alleen van "
                + String.join(", ", policy.partnerHosts()) + ", geen cliënten.\n"
                + "Consultation room '" + room.name() + "' (" + room.roomId() + ", policy " + policy.name() + ") is ready; "
                + "you have been invited. Invite colleagues yourself: at most " + policy.maxHumans()
                + " people, only from " + String.join(", ", policy.partnerHosts()) + ", no clients.")))
        .mapEmpty();
  }

  /** Creates a governed counselling room without a code (a planned session issues its own). */
  public Future<CounsellingRoom> createRoomFor(String replyRoomId, String counsellorId,
      String policyName, String clientRef) {
    return createRoom(replyRoomId, counsellorId, policyName, clientRef);
  }

  /** The client's ways in for a planned session, working from {@code validFrom} until {@code expires}. */
  public record WindowCode(String code, String link, String hash) {}

  /**
   * Makes the room's code and link for a planned session (older ones stop working); the caller
   * tells the counsellor.
   */
  public Future<WindowCode> issueWindowCode(CounsellingRoom room, Instant validFrom, Instant expires) {
    Policy policy = policies.get(room.policyName());
    EntrySecrets.Pair fresh = EntrySecrets.fresh();
    String hash = KnockCode.hash(secret, fresh.code());
    String linkHash = KnockCode.hash(secret, fresh.linkSecret());
    boolean singleUse = policy.knockCodeSingleUse();
    return store.replaceKnockCode(room.roomId(), hash, linkHash, clock.instant(), validFrom, expires,
            singleUse)
        .map(stored -> {
          registry.setCodes(room.roomId(), Place.CLIENT, List.of(
              new KnockCode(hash, expires, singleUse, validFrom),
              new KnockCode(linkHash, expires, singleUse, validFrom)));
          return new WindowCode(KnockCode.display(fresh.code()),
              publicBaseUrl + "/binnen/#" + fresh.linkSecret(), hash);
        });
  }

  /** After a planned session moved: the registry takes the codes' new window from the store. */
  public Future<Void> reloadCodes(String roomId) {
    return store.usableCodes().map(codes -> {
      registry.setCodes(roomId, codes.getOrDefault(roomId, List.of()));
      return null;
    });
  }

  private Future<CounsellingRoom> createRoom(String replyRoomId, String counsellorId,
      String policyName, String clientRef) {
    Policy policy = policies.get(policyName);
    Action.CreateCounsellingRoom action =
        new Action.CreateCounsellingRoom(replyRoomId, counsellorId, policyName);
    String name = RoomNames.fresh(registry.rooms().stream().map(CounsellingRoom::name)
        .collect(Collectors.toSet()));
    Map<String, Map<String, Object>> expected =
        ExpectedRoomState.of(policy, matrix.botUserId(), action.counsellorId(), true);
    JsonArray initialState = new JsonArray();
    expected.forEach((type, content) -> {
      if (!type.equals("m.room.power_levels")) {
        initialState.add(new JsonObject().put("type", type).put("state_key", "")
            .put("content", new JsonObject(content)));
      }
    });
    if (policy.callWidget()) {
      // The call widget is part of the room from the start, pinned above the timeline.
      PolicyContext.callWidgetFor(policy, callWidgetState, action.counsellorId()).forEach((key, content) -> initialState.add(new JsonObject()
          .put("type", key.substring(0, key.indexOf('|')))
          .put("state_key", key.substring(key.indexOf('|') + 1))
          .put("content", new JsonObject(content))));
    }
    JsonObject request = new JsonObject()
        .put("preset", "private_chat")
        .put("room_version", "11")
        .put("name", name)
        .put("topic", policy.isOverleg() ? "Overleg via Praatbrug / Consultation via Praatbrug"
            : "Gesprek via Praatbrug / Conversation via Praatbrug")
        .put("creation_content", new JsonObject().put("m.federate", true))
        .put("initial_state", initialState)
        .put("power_level_content_override", new JsonObject(expected.get("m.room.power_levels")))
        .put("invite", new JsonArray().add(action.counsellorId()));
    return matrix.createRoom(request).compose(roomId -> {
      CounsellingRoom room = new CounsellingRoom(roomId, policy.name(), action.counsellorId(),
          action.roomId(), name, "open", null, clientRef, clock.instant(), null, null);
      LOG.info("created counselling room {} ({}) under policy {}", roomId, name, policy.name());
      return store.insertRoom(room)
          .compose(stored -> matrix.roomState(roomId))
          .map(state -> {
            registry.put(room);
            registry.loadState(roomId, state);
            return room;
          });
    });
  }

  /** Keeps the handover in memory (never stored: a restart ends it) and records it. */
  public Future<Void> startReferral(Action.StartReferral action) {
    CounsellingRoom room = registry.room(action.roomId());
    registry.setHandover(room.roomId(),
        new Handover(action.referrerId(), action.partnerId(), action.until()));
    LOG.info("warm referral in {} ({}) from {} to {} until {}", room.roomId(), room.name(),
        action.referrerId(), action.partnerId(), action.until());
    records.record(Entries.referralStarted(room.clientRef(), room.roomId(), action.referrerId(),
        action.partnerId(), action.until(), clock.instant()));
    return Future.succeededFuture();
  }

  /** The partner is the room's counsellor from now on, in the store too. */
  public Future<Void> completeReferral(Action.CompleteReferral action) {
    CounsellingRoom room = registry.room(action.roomId());
    registry.clearHandover(room.roomId());
    registry.put(room.withCounsellor(action.partnerId()));
    LOG.info("warm referral in {} ({}) complete: {} took over from {}", room.roomId(), room.name(),
        action.partnerId(), action.referrerId());
    return store.updateCounsellor(room.roomId(), action.partnerId()).map(updated -> {
      records.record(Entries.referralCompleted(room.clientRef(), room.roomId(), action.referrerId(),
          action.partnerId(), clock.instant()));
      return updated;
    });
  }

  public Future<Void> endReferral(Action.EndReferral action) {
    Handover handover = registry.handover(action.roomId());
    CounsellingRoom room = registry.room(action.roomId());
    registry.clearHandover(action.roomId());
    if (handover != null && room != null) {
      LOG.info("warm referral in {} ({}) to {} ended: {}", room.roomId(), room.name(),
          handover.partnerId(), action.reason());
      records.record(Entries.referralEnded(room.clientRef(), room.roomId(), handover.referrerId(),
          handover.partnerId(), action.reason(), clock.instant()));
    }
    return Future.succeededFuture();
  }

  /** A fresh code for the room; the old ones stop working. Replies with the code and the link. */
  public Future<Void> issueCode(Action.IssueKnockCode action, boolean newRoom) {
    CounsellingRoom room = registry.room(action.roomId());
    Policy policy = policies.get(room.policyName());
    EntrySecrets.Pair fresh = EntrySecrets.fresh();
    Instant now = clock.instant();
    Instant expires = now.plus(policy.knockCodeLifetime());
    String hash = KnockCode.hash(secret, fresh.code());
    String linkHash = KnockCode.hash(secret, fresh.linkSecret());
    boolean singleUse = policy.knockCodeSingleUse();
    return store.replaceKnockCode(room.roomId(), hash, linkHash, now, expires, singleUse)
        .compose(stored -> {
          registry.setCodes(room.roomId(), Place.CLIENT, List.of(new KnockCode(hash, expires, singleUse),
              new KnockCode(linkHash, expires, singleUse)));
          return matrix.sendEvent(action.replyRoomId(), "m.room.message", "praatbrug.code." + hash,
              new JsonObject().put("msgtype", "m.notice")
                  .put("body", codeNotice(room, fresh, expires, policy, newRoom)));
        })
        .mapEmpty();
  }

  /**
   * The client is in: the session starts under the client's record (for a Matrix account its own,
   * for a link client the room's), the room belongs to that record from now on, and the counsellor
   * hears which record it is.
   */
  public Future<Void> startSession(Action.StartSession action) {
    CounsellingRoom room = registry.room(action.roomId());
    Instant now = clock.instant();
    // Once someone is in, a single-use code has done its work, however they were let in: a second
    // person with the same link learns it was used instead of knocking on an occupied room.
    boolean spendCodes = policies.get(room.policyName()).knockCodeSingleUse();
    return clients.forAdmission(room.roomId(), room.clientRef(), action.clientId(),
            isGuest.test(action.clientId()), room.counsellorId())
        // map, not onSuccess: what comes next (and whoever waits) must see the session started.
        .compose(ref -> store.startSession(room.roomId(), room.counsellorId(), action.clientId(), ref, now)
            .map(sessionId -> {
              registry.put(room.withSessionStarted(action.clientId(), ref, now));
              records.record(Entries.sessionStarted(ref, sessionId, room.roomId(), room.counsellorId(), now));
              tellRecord(room, ref, sessionId);
              return sessionId;
            }))
        .compose(sessionId -> {
          if (!spendCodes) {
            return Future.succeededFuture();
          }
          registry.setCodes(room.roomId(), Place.CLIENT, List.of());
          return store.spendRoomCodes(room.roomId(), now);
        })
        .mapEmpty();
  }

  /** Tells the counsellor the client record of the session that just started; never blocks it. */
  private void tellRecord(CounsellingRoom room, String ref, String sessionId) {
    if (room.controlRoomId() == null) {
      return;
    }
    clients.sessionCount(ref)
        .compose(count -> matrix.sendEvent(room.controlRoomId(), "m.room.message",
            "praatbrug.record." + sessionId, new JsonObject().put("msgtype", "m.notice")
                .put("body", recordNotice(room.name(), ref, count))))
        .onFailure(failure -> LOG.warn("could not tell the counsellor the client record: {}",
            failure.toString()));
  }

  static String recordNotice(String roomName, String ref, int sessions) {
    String which = sessions <= 1 ? "eerste gesprek" : "gesprek " + sessions;
    String whichEn = sessions <= 1 ? "first session" : "session " + sessions;
    return "📁 De cliënt in '" + roomName + "' heeft cliëntdossier " + ref + " (" + which + "). "
        + "Label dat alleen hulpverleners zien: !cliënt label " + ref + " <tekst>. Een volgend "
        + "gesprek: !gesprek nieuw voor " + ref + " (dan hoeft de cliënt niet opnieuw toe te stemmen).\n"
        + "📁 The client in '" + roomName + "' has client record " + ref + " (" + whichEn + "). "
        + "A label only counsellors see: !client label " + ref + " <text>. A next session: "
        + "!session new for " + ref + " (the client then need not consent again).";
  }

  public Future<Void> endSession(Action.EndSession action) {
    CounsellingRoom room = registry.room(action.roomId());
    Instant now = clock.instant();
    return store.endSession(room.roomId(), now)
        .map(ended -> {
          registry.put(room.closedAt(now));
          registry.setCodes(room.roomId(), List.of());
          ended.ifPresent(session -> records.record(Entries.sessionEnded(session.clientRef(),
              session.sessionId(), room.roomId(), room.counsellorId(), session.startedAt(),
              session.endedAt())));
          return null;
        });
  }

  /**
   * Records a removal in the ledger: a refused knock, or a member removed to enforce the policy.
   * The removed person's id is personal: it is kept only encrypted, under the room's client key.
   */
  public void recordRemoval(Action.Kick kick) {
    CounsellingRoom room = registry.room(kick.roomId());
    // An end, and a family session's participant taken out or withdrawing, are on record as their
    // session's end and the withdrawal: not as a policy violation.
    if (room == null || SessionCommands.ENDED.equals(kick.reason())
        || FamilyCommands.REMOVED.equals(kick.reason()) || FamilyCommands.WITHDRAWN.equals(kick.reason())) {
      return;
    }
    Instant now = clock.instant();
    // Under the room's client record, as everything about the room; the removed person's id is
    // sealed under that record's key. While the room has no client yet, the id is not kept at all.
    String ref = room.clientRef();
    if (SessionCommands.DENIED.equals(kick.reason())) {
      records.record(Entries.knockDenied(ref, room.roomId(), "denied_by_counsellor", now));
    } else {
      records.record(Entries.policyViolationRemoved(ref, room.roomId(), kick.reason(),
          "member", null, ref == null ? null : kick.userId(), now));
    }
  }

  private String codeNotice(CounsellingRoom room, EntrySecrets.Pair fresh, Instant expires,
      Policy policy, boolean newRoom) {
    String shown = KnockCode.display(fresh.code());
    String use = policy.knockCodeSingleUse() ? "één keer te gebruiken" : "meermaals te gebruiken";
    String useEn = policy.knockCodeSingleUse() ? "single use" : "reusable";
    String link = publicBaseUrl + "/binnen/#" + fresh.linkSecret();
    String forWhom = room.clientRef() == null ? "Voor een nieuwe cliënt: het cliëntdossier volgt als "
        + "de cliënt binnenkomt.\n" : "Voor cliëntdossier " + room.clientRef() + ": heeft de cliënt al "
        + "toegestemd, dan hoeft dat niet opnieuw.\n";
    String forWhomEn = room.clientRef() == null ? "For a new client: the client record follows when "
        + "the client comes in.\n" : "For client record " + room.clientRef() + ": a client who "
        + "consented before need not consent again.\n";
    String family = policy.isFamily() ? "Gezinsgesprek: dit is plaats 1. Geef elke andere persoon een"
        + " eigen plaats met !gesprek deelnemer <naam of C-…> " + room.name() + " (een ouder of voogd met"
        + " !gesprek ouder: op die plaats kan een kind onder 12 steunen met 'mijn ouder doet mee')\n" : "";
    String familyEn = policy.isFamily() ? "Family session: this is place 1. Give every other person a"
        + " place of their own with !session participant <name or C-…> " + room.name() + " (a parent or"
        + " guardian with !session parent: a child under 12 can rely on that place with 'my parent takes"
        + " part')\n" : "";
    return (newRoom
            ? "✅ Gespreksruimte '" + room.name() + "' (beleid " + policy.name() + ") staat klaar; "
                + "je bent uitgenodigd.\n" + forWhom + family
            : "🔑 Nieuwe klopcode voor '" + room.name() + "'; de vorige werkt niet meer.\n")
        + "Klopcode voor de cliënt: " + shown + " (" + use + ", geldig tot " + WHEN.format(expires) + ").\n"
        + "Cliënt met Matrix-account: aankloppen op " + room.roomId() + " met de code als reden.\n"
        + "Cliënt zonder app: " + link + "\n\n"
        + (newRoom
            ? "✅ Counselling room '" + room.name() + "' (policy " + policy.name() + ") is ready; "
                + "you have been invited.\n" + forWhomEn + familyEn
            : "🔑 New knock code for '" + room.name() + "'; the previous one no longer works.\n")
        + "Knock code for the client: " + shown + " (" + useEn + ", valid until "
        + WHEN.format(expires) + ").\n"
        + "Client with a Matrix account: knock on " + room.roomId() + " with the code as reason.\n"
        + "Client without an app: " + link;
  }
}
