package be.praatbrug.bridge.rooms;

import java.time.Instant;

/**
 * A counselling room as the bridge records it (no content, no room state: those live on the
 * homeserver).
 *
 * @param status {@code open}, {@code closed} or {@code deleted}
 * @param clientId the client's Matrix id while a session runs, else {@code null}
 * @param clientRef the client record the room belongs to (its pseudonymous reference), or
 *     {@code null} while a new client has not come in yet
 */
public record CounsellingRoom(
    String roomId,
    String policyName,
    String counsellorId,
    String controlRoomId,
    String name,
    String status,
    String clientId,
    String clientRef,
    Instant createdAt,
    Instant sessionStartedAt,
    Instant closedAt) {

  public boolean isOpen() {
    return "open".equals(status);
  }

  public CounsellingRoom withSessionStarted(String client, String ref, Instant at) {
    return new CounsellingRoom(roomId, policyName, counsellorId, controlRoomId, name, status, client,
        ref, createdAt, at, closedAt);
  }

  /** The room now belongs to client record {@code ref}. */
  public CounsellingRoom withClientRef(String ref) {
    return new CounsellingRoom(roomId, policyName, counsellorId, controlRoomId, name, status,
        clientId, ref, createdAt, sessionStartedAt, closedAt);
  }

  /** After a warm referral: the partner who took over is the room's counsellor. */
  public CounsellingRoom withCounsellor(String newCounsellorId) {
    return new CounsellingRoom(roomId, policyName, newCounsellorId, controlRoomId, name, status,
        clientId, clientRef, createdAt, sessionStartedAt, closedAt);
  }

  public CounsellingRoom closedAt(Instant at) {
    return new CounsellingRoom(roomId, policyName, counsellorId, controlRoomId, name, "closed", null,
        clientRef, createdAt, sessionStartedAt, at);
  }

  public CounsellingRoom deleted() {
    return new CounsellingRoom(roomId, policyName, counsellorId, controlRoomId, name, "deleted", null,
        clientRef, createdAt, sessionStartedAt, closedAt);
  }
}
