package be.praatbrug.policy;

import java.util.Map;

/**
 * Something the bridge must do as the outcome of a decision.
 *
 * <p>Decisions are data: the policy core only describes actions, the bridge's executor carries them
 * out (on the homeserver or in its store). That keeps the core testable without a homeserver and
 * lets a dry-run executor sit beside the real one.
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

  /** Removes a member, or rescinds an invite, or refuses a knock: all are a kick in Matrix. */
  record Kick(String roomId, String userId, String reason) implements Action {}

  /** Invites a user; after a knock this admits them. */
  record Invite(String roomId, String userId) implements Action {}

  /** Sends a state event, e.g. to put back a setting the policy requires. */
  record SetState(String roomId, String eventType, String stateKey, Map<String, Object> content)
      implements Action {
    public SetState {
      content = Map.copyOf(content);
    }
  }

  /**
   * Creates a counselling room under {@code policyName} for {@code counsellorId}; replies in
   * {@code roomId}.
   *
   * @param clientRef the client record the room is for ({@code !gesprek nieuw voor <ref>}), or
   *     {@code null} for a new client, whose record is made when they first come in
   */
  record CreateCounsellingRoom(String roomId, String counsellorId, String policyName,
      String clientRef) implements Action {

    /** A room for a new client. */
    public CreateCounsellingRoom(String roomId, String counsellorId, String policyName) {
      this(roomId, counsellorId, policyName, null);
    }
  }

  /**
   * Makes a fresh knock code for {@code roomId} (older ones of the same place stop working) and
   * sends it to {@code replyRoomId}.
   *
   * @param place which place the code opens: {@link be.praatbrug.policy.rooms.Place#CLIENT} for the
   *     room's client, a family session's named place otherwise
   */
  record IssueKnockCode(String roomId, String replyRoomId, int place) implements Action {

    /** A code for the room's client. */
    public IssueKnockCode(String roomId, String replyRoomId) {
      this(roomId, replyRoomId, be.praatbrug.policy.rooms.Place.CLIENT);
    }
  }

  /**
   * Gives a family session a named place for one more person, with its own client record (an
   * existing one, {@code clientRef}, or a new one labelled {@code label}) and its own code and
   * link, sent to {@code replyRoomId}; {@code parent} when it is a parent's or guardian's place,
   * the only kind that can agree for a child under 12 in the session.
   */
  record AddPlace(String roomId, String replyRoomId, String clientRef, String label, boolean parent)
      implements Action {}

  /**
   * The counsellor said whether an existing named place {@code place} is a parent's or guardian's
   * ({@code !gesprek ouder} or {@code deelnemer} with the record already on it): only a parent's
   * place counts when a child under 12 says "my parent takes part". Told in {@code replyRoomId}.
   */
  record SetParentPlace(String roomId, String replyRoomId, int place, boolean parent) implements Action {}

  /**
   * The counsellor took the holder of named place {@code place} out of the family session: the
   * place is free again and its codes stop working, so they come back only with a new code; their
   * part in the session ends in the ledger.
   */
  record FreePlace(String roomId, int place) implements Action {}

  /**
   * The holder of a family session's named place {@code place} is in the room: the ledger records
   * that they take part in the running session, under their own client record. {@code justJoined}:
   * their join event, after which waiting knocks that needed them are looked at again.
   */
  record PlaceEntered(String roomId, int place, String userId, boolean justJoined) implements Action {

    /** Found in the room by a reconciliation (no join event behind it). */
    public PlaceEntered(String roomId, int place, String userId) {
      this(roomId, place, userId, false);
    }
  }

  /**
   * Records {@code userId} as the person let into {@code roomId}, before the invite goes out, so a
   * bridge that dies between invite and join still knows who the client is. With
   * {@code spendCodeHash} (the single-use code they came with) the code is spent in the same step,
   * and when someone else spent it meanwhile nobody is let in. In a family session {@code place}
   * says which named place they take.
   */
  record AdmitClient(String roomId, String userId, String spendCodeHash, int place)
      implements Action {

    /** Lets in the room's client (place 1). */
    public AdmitClient(String roomId, String userId, String spendCodeHash) {
      this(roomId, userId, spendCodeHash, be.praatbrug.policy.rooms.Place.CLIENT);
    }
  }

  /** Records that the client is in: the session's start time and who the client is while it runs. */
  record StartSession(String roomId, String clientId) implements Action {}

  /** Records the session's end, closes the room and stops every knock code for it. */
  record EndSession(String roomId) implements Action {}

  /** Shows the organisation's current consent text in {@code roomId}. */
  record ShowConsentText(String roomId) implements Action {}

  /**
   * Records in the ledger that {@code userId} consents to the current consent text.
   *
   * @param guardianName who consents on behalf of a client under 12; {@code null} otherwise
   */
  record RecordConsent(String roomId, String userId, String guardianName) implements Action {}

  /** Records in the ledger that {@code userId} withdraws consent. */
  record WithdrawConsent(String roomId, String userId) implements Action {}

  /**
   * A Praatbrug guest account leaves {@code roomId} (withdrawing a knock or refusing an invite):
   * the bridge acts as that account, which it owns, so it works in rooms where the bot has no power.
   */
  record LeaveAsGuest(String roomId, String userId) implements Action {}

  /**
   * Records that {@code partnerId} may join for a warm referral until {@code until}; the bridge
   * keeps this in memory only, so a restart ends the handover and the room falls back to one-to-one.
   */
  record StartReferral(String roomId, String referrerId, String partnerId, java.time.Instant until)
      implements Action {}

  /** The referring counsellor left: {@code partnerId} is now the room's counsellor. */
  record CompleteReferral(String roomId, String referrerId, String partnerId) implements Action {}

  /**
   * The handover ended without a takeover.
   *
   * @param reason {@code expired} or {@code partner_left}
   */
  record EndReferral(String roomId, String reason) implements Action {}

  /**
   * The bot writes to {@code userId} in a direct chat of its own (made when there is none yet), for
   * someone who is not in any room with the bot, such as a knocker who has not consented.
   *
   * @param roomId the room the message is about (never where it goes)
   */
  record DirectMessage(String roomId, String userId, String plainText) implements Action {}

  /** Shows a client record (reference, label, sessions, consent) in {@code roomId}, the counsellor's chat. */
  record ShowClientRecord(String roomId, String clientRef) implements Action {}

  /**
   * Sets the counsellor's label on a client record, stored sealed under the client's own key;
   * {@code label} {@code null} removes it. Replies in {@code roomId}.
   */
  record SetClientLabel(String roomId, String clientRef, String label) implements Action {}

  /** Creates an overleg room under {@code policyName} for {@code convenorId}; replies in {@code roomId}. */
  record CreateOverlegRoom(String roomId, String convenorId, String policyName) implements Action {}

  /**
   * Plans a session: creates a counselling room under {@code policyName} (for {@code clientRef},
   * or a new client when {@code null}) whose link and code work only in the appointment's window,
   * and records the appointment; replies in {@code roomId}, the counsellor's chat with the bot.
   */
  record PlanAppointment(String roomId, String counsellorId, String policyName, String clientRef,
      java.time.Instant start, java.time.Instant end) implements Action {}

  /** Moves the appointment of room {@code appointmentRoomId}; its link's window moves with it. */
  record MoveAppointment(String roomId, String appointmentRoomId, java.time.Instant start,
      java.time.Instant end) implements Action {}

  /** Records the appointment of {@code appointmentRoomId} as cancelled (its room closes apart). */
  record CancelAppointment(String roomId, String appointmentRoomId) implements Action {}

  /** The counsellor goes on (or off) duty at the door; the bridge replies in {@code roomId}, her chat. */
  record SetDoorDuty(String roomId, String counsellorId, boolean onDuty) implements Action {}

  /** Shows the door's waiting line (number, nickname, waiting time; never a question) in {@code roomId}. */
  record ShowDoorLine(String roomId, String counsellorId) implements Action {}

  /**
   * The counsellor takes the person with {@code number} from the door's line: exactly one of
   * several counsellors asking at once gets them, in a new counselling room; the others hear it
   * was taken. Replies in {@code roomId}, her chat.
   */
  record TakeFromDoor(String roomId, String counsellorId, int number) implements Action {}
}
