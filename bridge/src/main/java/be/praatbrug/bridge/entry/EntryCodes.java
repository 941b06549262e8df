package be.praatbrug.bridge.entry;

import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.rooms.EntrySecrets;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.bridge.rooms.RoomStore;
import be.praatbrug.bridge.rooms.RoomStore.StoredCode;
import be.praatbrug.policy.rooms.KnockCode;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a code from a client link is worth: which room it opens, or why it opens none.
 *
 * <p>The client page needs more than valid/invalid: "this link was already used" and "this link
 * has expired" send the client to their counsellor for different reasons.
 */
public final class EntryCodes {

  /** Codes and link secrets are exactly as {@link EntrySecrets} makes them; nothing else is looked up. */
  private static final Pattern CODE = Pattern.compile("[" + KnockCode.ALPHABET + "]{" + EntrySecrets.CODE_LENGTH + "}");
  private static final Pattern LINK = Pattern.compile("[" + KnockCode.ALPHABET + "]{" + EntrySecrets.LINK_LENGTH + "}");

  public enum Status { VALID, EXPIRED, USED, REPLACED, ENDED, UNKNOWN }

  /** What was presented: a link's secret, a code typed by hand, or neither. */
  public enum Form { LINK, CODE, NONE }

  /** @param roomId and expiresAt are set only for {@link Status#VALID} */
  public record Lookup(Status status, String roomId, Instant expiresAt) {

    static Lookup of(Status status) {
      return new Lookup(status, null, null);
    }

    public boolean valid() {
      return status == Status.VALID;
    }
  }

  private final RoomStore store;
  private final RoomRegistry registry;
  private final byte[] codeKey;
  private final Clock clock;

  public EntryCodes(RoomStore store, RoomRegistry registry, byte[] codeKey, Clock clock) {
    this.store = store;
    this.registry = registry;
    this.codeKey = codeKey.clone();
    this.clock = clock;
  }

  public static Form formOf(String typed) {
    String value = KnockCode.normalise(typed);
    return LINK.matcher(value).matches() ? Form.LINK : CODE.matcher(value).matches() ? Form.CODE : Form.NONE;
  }

  /** Looks up a code or link secret; callers limit guessing first ({@link CodeGate}). */
  public Future<Lookup> look(String typed) {
    String code = KnockCode.normalise(typed);
    if (formOf(code) == Form.NONE) {
      return Future.succeededFuture(Lookup.of(Status.UNKNOWN));
    }
    String hash = KnockCode.hash(codeKey, code);
    return store.findCode(hash).map(found -> found
        .map(stored -> classify(stored, registry.room(stored.roomId()), clock.instant()))
        .orElse(Lookup.of(Status.UNKNOWN)));
  }

  /** Pure: the status of a stored code for its room (null when the room is gone) at {@code now}. */
  static Lookup classify(StoredCode code, CounsellingRoom room, Instant now) {
    Status status;
    if (room == null || !room.isOpen()) {
      status = Status.ENDED;
    } else if (code.spentAt() != null) {
      status = Status.USED;
    } else if (code.revokedAt() != null) {
      status = Status.REPLACED;
    } else if (!now.isBefore(code.expiresAt())) {
      status = Status.EXPIRED;
    } else {
      return new Lookup(Status.VALID, code.roomId(), code.expiresAt());
    }
    return Lookup.of(status);
  }

  static Optional<String> errCode(Status status) {
    return switch (status) {
      case VALID -> Optional.empty();
      case EXPIRED -> Optional.of("BE.PRAATBRUG.CODE_EXPIRED");
      case USED -> Optional.of("BE.PRAATBRUG.CODE_USED");
      case REPLACED -> Optional.of("BE.PRAATBRUG.CODE_REPLACED");
      case ENDED -> Optional.of("BE.PRAATBRUG.SESSION_ENDED");
      case UNKNOWN -> Optional.of("M_NOT_FOUND");
    };
  }
}
