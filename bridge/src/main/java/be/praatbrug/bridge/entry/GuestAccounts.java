package be.praatbrug.bridge.entry;

import be.praatbrug.bridge.entry.GuestStore.Guest;
import be.praatbrug.policy.rooms.Place;
import be.praatbrug.bridge.matrix.DeviceLogin;
import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.policy.guests.GuestNamespace;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Matrix accounts Praatbrug makes for clients who come in through a link: one per client and
 * counselling room, in the appservice's exclusive namespace, living no longer than the session.
 *
 * <p>The bridge registers the account without a login, then logs in one device whose access token
 * goes to the client's browser; the browser makes its own encryption keys, which never reach the
 * bridge. Ending the account (deactivation through the Synapse admin API) removes its devices,
 * tokens and keys from the homeserver and erases its display name.
 */
public final class GuestAccounts {

  /** A room's waiting clients plus one refresh on another phone; more is someone probing. */
  static final int MAX_PER_ROOM = 3;
  public static final String DEVICE_NAME = "Praatbrug (browser)";

  private static final Logger LOG = LoggerFactory.getLogger(GuestAccounts.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String LOCALPART_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

  private final MatrixClient matrix;
  private final GuestStore store;
  private final GuestNamespace namespace;
  private final Clock clock;
  private final Map<String, Guest> guests = new ConcurrentHashMap<>();
  /** Guest user id → its room: read on every event, so kept rather than derived each time. */
  private final Map<String, String> roomOfGuest = new ConcurrentHashMap<>();
  /** Room → places taken by guests still being made. */
  private final Map<String, Integer> reserved = new ConcurrentHashMap<>();

  public GuestAccounts(MatrixClient matrix, GuestStore store, GuestNamespace namespace, Clock clock) {
    this.matrix = matrix;
    this.store = store;
    this.namespace = namespace;
    this.clock = clock;
  }

  public Future<Void> load() {
    return store.all().map(all -> {
      all.forEach(this::remember);
      return null;
    });
  }

  /** Guest user id → the one room it may be in. A live, read-only view. */
  public Map<String, String> assignments() {
    return Collections.unmodifiableMap(roomOfGuest);
  }

  /** A room's place for one more guest, taken before the account is made; see {@link #reserve}. */
  public static final class Slot {
    private final String roomId;
    private final int place;
    private boolean released;

    private Slot(String roomId, int place) {
      this.roomId = roomId;
      this.place = place;
    }

    private String key() {
      return roomId + "#" + place;
    }
  }

  /** The family session's place a guest came in on ({@link Place#CLIENT} for every other guest). */
  public int placeOf(String userId) {
    Guest guest = guests.get(userId);
    return guest == null ? Place.CLIENT : guest.place();
  }

  /**
   * Takes one of the room's {@value #MAX_PER_ROOM} guest places, counting guests that exist and
   * places taken by requests still making their account; empty when none is left. Taking happens
   * in one step, so requests at the same moment cannot all find the room not yet full.
   */
  public Optional<Slot> reserve(String roomId) {
    return reserve(roomId, Place.CLIENT);
  }

  /** The same for one place of a family session: each place has its own guest places. */
  public Optional<Slot> reserve(String roomId, int place) {
    boolean[] taken = {false};
    Slot slot = new Slot(roomId, place);
    reserved.compute(slot.key(), (id, pending) -> {
      int inFlight = pending == null ? 0 : pending;
      if (guestsIn(roomId, place) + inFlight >= MAX_PER_ROOM) {
        return pending;
      }
      taken[0] = true;
      return inFlight + 1;
    });
    return taken[0] ? Optional.of(slot) : Optional.empty();
  }

  /**
   * A new guest in the slot's room, named {@code displayName}, with one logged-in device. The slot
   * turns into the guest the moment the guest is on record, and is given back if none is made.
   */
  public Future<DeviceLogin> provision(Slot slot, String displayName) {
    String suffix = randomSuffix();
    String userId = namespace.userId(suffix);
    Guest guest = new Guest(userId, slot.roomId, clock.instant(), slot.place);
    return matrix.registerNamespaceUser(namespace.localpartPrefix() + suffix)
        .compose(registered -> store.insert(guest))
        // andThen, not onSuccess: the guest is known before anything below (or a caller) runs.
        .andThen(stored -> {
          if (stored.succeeded()) {
            remember(guest);
          }
          release(slot);
        })
        .compose(stored -> matrix.setDisplayName(userId, displayName))
        .compose(named -> matrix.loginNamespaceUser(userId, DEVICE_NAME));
  }

  private void release(Slot slot) {
    if (!slot.released) {
      slot.released = true;
      reserved.computeIfPresent(slot.key(), (id, pending) -> pending <= 1 ? null : pending - 1);
    }
  }

  private long guestsIn(String roomId, int place) {
    return guests.values().stream()
        .filter(guest -> guest.roomId().equals(roomId) && guest.place() == place).count();
  }

  /** Ends every guest of a room whose session ended; returns how many. */
  public Future<Integer> endIn(String roomId) {
    List<String> inRoom = guests.values().stream()
        .filter(guest -> guest.roomId().equals(roomId)).map(Guest::userId).toList();
    return endAll(inRoom);
  }

  /**
   * Ends the guests of one place of a family session (its holder was taken out or withdrew): their
   * accounts, keys and tokens go, so the page can no longer act for that place's record.
   */
  public Future<Integer> endInPlace(String roomId, int place) {
    return endAll(guests.values().stream()
        .filter(guest -> guest.roomId().equals(roomId) && guest.place() == place)
        .map(Guest::userId).toList());
  }

  /**
   * Ends guests that can no longer be admitted: their room closed, or they waited longer than a
   * knock code of the room's policy lives without being let in.
   *
   * @param rooms the managed room by id (null when gone)
   * @param membership the guest's membership in its room
   * @param waitLimit how long a guest of that room may wait
   */
  public Future<Integer> expire(Function<String, CounsellingRoom> rooms,
      Function<Guest, String> membership, Function<CounsellingRoom, Duration> waitLimit) {
    Instant now = clock.instant();
    List<String> expired = new ArrayList<>();
    for (Guest guest : guests.values()) {
      CounsellingRoom room = rooms.apply(guest.roomId());
      if (isExpired(guest, room, room == null ? null : membership.apply(guest),
          room == null ? Duration.ZERO : waitLimit.apply(room), now)) {
        expired.add(guest.userId());
      }
    }
    return endAll(expired);
  }

  /** Pure: whether a guest's account should end now. */
  static boolean isExpired(Guest guest, CounsellingRoom room, String membership, Duration waitLimit,
      Instant now) {
    if (room == null || !room.isOpen()) {
      return true;
    }
    if ("join".equals(membership) || "invite".equals(membership)) {
      return false;
    }
    return !now.isBefore(guest.createdAt().plus(waitLimit));
  }

  private Future<Integer> endAll(List<String> userIds) {
    List<Future<Void>> ends = userIds.stream().map(this::end).toList();
    return Future.join(ends).transform(done ->
        Future.succeededFuture((int) ends.stream().filter(Future::succeeded).count()));
  }

  private Future<Void> end(String userId) {
    return matrix.deactivate(userId)
        .compose(deactivated -> store.delete(userId))
        .map(deleted -> {
          guests.remove(userId);
          roomOfGuest.remove(userId);
          return deleted;
        })
        .onFailure(failure -> LOG.warn("could not end a guest account (will retry): {}",
            failure.toString()));
  }

  private void remember(Guest guest) {
    guests.put(guest.userId(), guest);
    roomOfGuest.put(guest.userId(), guest.roomId());
  }

  private static String randomSuffix() {
    StringBuilder suffix = new StringBuilder(12);
    for (int i = 0; i < 12; i++) {
      suffix.append(LOCALPART_ALPHABET.charAt(RANDOM.nextInt(LOCALPART_ALPHABET.length())));
    }
    return suffix.toString();
  }
}
