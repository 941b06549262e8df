package be.praatbrug.bridge.entry;

import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.rooms.EntrySecrets;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.bridge.rooms.RoomStore;
import be.praatbrug.bridge.rooms.RoomStore.StoredCode;
import be.praatbrug.policy.rooms.KnockCode;
import be.praatbrug.policy.rooms.Place;
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

  /**
   * {@code NOT_YET}, {@code PASSED} and {@code CANCELLED} are for a planned session's link: too
   * early (the page says when), after the slot, or called off.
   */
  public enum Status { VALID, EXPIRED, USED, REPLACED, ENDED, UNKNOWN, NOT_YET, PASSED, CANCELLED }

  /** A planned session as the client page shows it. */
  public record Slot(Instant start, Instant end, Instant opensAt) {}

  /** What was presented: a link's secret, a code typed by hand, or neither. */
  public enum Form { LINK, CODE, NONE }

  /**
   * @param roomId and expiresAt are set only for {@link Status#VALID}
   * @param slot the planned session the link is for, or {@code null}
   * @param place the family session's place the code opens ({@link Place#CLIENT} elsewhere)
   */
  public record Lookup(Status status, String roomId, Instant expiresAt, Slot slot, int place) {

    public Lookup(Status status, String roomId, Instant expiresAt) {
      this(status, roomId, expiresAt, null, Place.CLIENT);
    }

    public Lookup(Status status, String roomId, Instant expiresAt, Slot slot) {
      this(status, roomId, expiresAt, slot, Place.CLIENT);
    }

    static Lookup of(Status status) {
      return new Lookup(status, null, null);
    }

    Lookup withSlot(Slot planned) {
      return new Lookup(status, roomId, expiresAt, planned, place);
    }

    public boolean valid() {
      return status == Status.VALID;
    }
  }

  private final RoomStore store;
  private final RoomRegistry registry;
  private final byte[] codeKey;
  private final Clock clock;

  private final be.praatbrug.bridge.appointments.AppointmentStore appointments;

  public EntryCodes(RoomStore store, RoomRegistry registry, byte[] codeKey, Clock clock) {
    this(store, registry, codeKey, clock, null);
  }

  /** @param appointments planned sessions, whose links work in their window only */
  public EntryCodes(RoomStore store, RoomRegistry registry, byte[] codeKey, Clock clock,
      be.praatbrug.bridge.appointments.AppointmentStore appointments) {
    this.appointments = appointments;
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
    return store.findCode(hash).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Lookup.of(Status.UNKNOWN));
      }
      Instant now = clock.instant();
      Lookup lookup = classify(found.get(), registry.room(found.get().roomId()), now);
      if (appointments == null || lookup.status() == Status.USED) {
        return Future.succeededFuture(lookup);
      }
      return appointments.forRoom(found.get().roomId()).map(planned -> planned
          .map(appointment -> forAppointment(lookup, found.get(), appointment, now))
          .orElse(lookup));
    });
  }

  /** Pure: what a planned session's link is worth; the page shows the slot either way. */
  static Lookup forAppointment(Lookup lookup, StoredCode code,
      be.praatbrug.bridge.appointments.AppointmentStore.Stored appointment, Instant now) {
    Slot slot = new Slot(appointment.start(), appointment.end(),
        code.validFrom() == null ? appointment.start() : code.validFrom());
    if (!appointment.planned()) {
      return Lookup.of(Status.CANCELLED).withSlot(slot);
    }
    if (!now.isBefore(appointment.end())) {
      return Lookup.of(Status.PASSED).withSlot(slot);
    }
    return switch (lookup.status()) {
      case VALID -> lookup.withSlot(slot);
      case NOT_YET -> lookup.withSlot(slot);
      default -> lookup;
    };
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
    } else if (code.validFrom() != null && now.isBefore(code.validFrom())) {
      status = Status.NOT_YET;
    } else {
      return new Lookup(Status.VALID, code.roomId(), code.expiresAt(), null, code.place());
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
      case NOT_YET -> Optional.of("BE.PRAATBRUG.APPOINTMENT_NOT_YET");
      case PASSED -> Optional.of("BE.PRAATBRUG.APPOINTMENT_PASSED");
      case CANCELLED -> Optional.of("BE.PRAATBRUG.APPOINTMENT_CANCELLED");
    };
  }
}
