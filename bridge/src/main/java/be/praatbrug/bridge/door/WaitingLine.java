package be.praatbrug.bridge.door;

import be.praatbrug.bridge.door.DoorLineStore.Ticket;
import be.praatbrug.policy.door.DoorSettings;
import be.praatbrug.policy.rooms.KnockCode;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The people waiting at the door and the counsellors on duty. The store is the truth for who took
 * whom (one UPDATE decides); this keeps the line in memory too, because every waiting browser asks
 * for its place every few seconds. One bridge process serves the door (the leader).
 */
public final class WaitingLine {

  /** Someone whose browser stopped asking this long ago gave up: their place goes to the next. */
  static final Duration UNSEEN_LIMIT = Duration.ofMinutes(20);
  /** A taken person has this long to come into the room before the line forgets them. */
  static final Duration HANDOVER_LIMIT = Duration.ofHours(1);
  /** Duty ends by itself after a working day, so a forgotten switch does not promise an answer. */
  static final Duration LONGEST_DUTY = Duration.ofHours(10);
  /** How many recent pick-ups the wait estimate is made from. */
  private static final int RECENT = 20;
  private static final Duration RECENT_WINDOW = Duration.ofHours(3);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new place in the line: the secret only the person's browser keeps, and the number shown. */
  /** The person left the line while their room was being made. */
  static final class LeftMeanwhile extends RuntimeException {
    LeftMeanwhile() {
      super("the person left the line while the room was being made", null, false, false);
    }
  }

  public record Entered(String ticket, long number) {}

  /** No place left in the line. */
  static final class LineFull extends RuntimeException {
    LineFull() {
      super("the door's line is full", null, false, false);
    }
  }

  private record PickUp(Instant at, Duration perPlace) {}

  private final DoorLineStore store;
  private final byte[] secret;
  private final Clock clock;
  private final Map<Long, Ticket> tickets = new ConcurrentHashMap<>();
  private final Map<Long, Instant> seen = new ConcurrentHashMap<>();
  private final Map<String, Instant> onDuty = new ConcurrentHashMap<>();
  private final Deque<PickUp> pickUps = new ArrayDeque<>();
  private final LineChanges changes = new LineChanges();
  private long lastNumber;

  WaitingLine(DoorLineStore store, byte[] secret, Clock clock) {
    this.store = store;
    this.secret = secret.clone();
    this.clock = clock;
  }

  /**
   * The line as stored. A ticket taken but without a room (the process stopped while the room was
   * being made) goes back to its place: nobody would finish that take.
   */
  Future<Void> load() {
    return store.all().compose(all -> {
      Instant now = clock.instant();
      List<Future<Void>> halfTaken = new ArrayList<>();
      for (Ticket ticket : all) {
        tickets.put(ticket.number(), ticket);
        seen.put(ticket.number(), now);
        lastNumber = Math.max(lastNumber, ticket.number());
        if (!ticket.waiting() && ticket.roomId() == null) {
          halfTaken.add(unclaim(ticket));
        }
      }
      return Future.all(halfTaken).<Void>mapEmpty();
    });
  }

  /** Puts someone in the line, if a place is free; the place is taken before the row is written. */
  Future<Entered> enter(String nickname, String clientRef, int places) {
    String ticketSecret = newSecret();
    Ticket ticket;
    synchronized (this) {
      int waiting = waiting().size();
      if (waiting >= places) {
        return Future.failedFuture(new LineFull());
      }
      ticket = new Ticket(++lastNumber, KnockCode.hash(secret, ticketSecret), nickname, clientRef,
          waiting + 1, clock.instant(), null, null, null, null);
      tickets.put(ticket.number(), ticket);
      seen.put(ticket.number(), ticket.enteredAt());
    }
    changes.changed();
    return store.insert(ticket)
        .recover(failed -> {
          forget(ticket.number());
          return Future.failedFuture(failed);
        })
        .map(new Entered(ticketSecret, ticket.number()));
  }

  /** The ticket a browser presents, marked as seen now. */
  Optional<Ticket> find(String ticketSecret) {
    if (ticketSecret == null || ticketSecret.isEmpty() || ticketSecret.length() > 100) {
      return Optional.empty();
    }
    String hash = KnockCode.hash(secret, ticketSecret);
    Optional<Ticket> found = tickets.values().stream().filter(t -> t.ticketHash().equals(hash)).findFirst();
    found.ifPresent(ticket -> seen.put(ticket.number(), clock.instant()));
    return found;
  }

  /** The people taken whose page has not come into the room yet (or did, unseen by the line). */
  List<Ticket> taken() {
    return tickets.values().stream().filter(ticket -> !ticket.waiting()).toList();
  }

  /** The people still waiting, first come first. */
  List<Ticket> waiting() {
    return tickets.values().stream().filter(Ticket::waiting)
        .sorted(Comparator.comparingLong(Ticket::number)).toList();
  }

  /** 1 for the first in line; 0 when not waiting. */
  int place(Ticket ticket) {
    List<Ticket> line = waiting();
    return line.indexOf(tickets.get(ticket.number())) + 1;
  }

  Optional<Duration> estimate(int place) {
    Instant since = clock.instant().minus(RECENT_WINDOW);
    List<Duration> recent;
    synchronized (pickUps) {
      recent = pickUps.stream().filter(pickUp -> pickUp.at().isAfter(since)).map(PickUp::perPlace).toList();
    }
    return DoorSettings.estimate(place, recent);
  }

  /** The person left the line themselves. */
  Future<Void> leave(Ticket ticket) {
    forget(ticket.number());
    return store.delete(ticket.number());
  }

  /** Exactly one of several counsellors taking the same person at once gets them. */
  Future<Optional<Ticket>> claim(long number, String counsellor) {
    Ticket before = tickets.get(number);
    if (before == null || !before.waiting()) {
      return Future.succeededFuture(Optional.empty());
    }
    Instant now = clock.instant();
    return store.claim(number, counsellor, now).map(won -> {
      if (!won) {
        return Optional.empty();
      }
      Ticket taken = before.taken(counsellor, now);
      // The person may have left while the claim was on its way: then nobody is taken.
      if (!tickets.replace(number, before, taken)) {
        return Optional.empty();
      }
      changes.changed();
      return Optional.of(taken);
    });
  }

  /** The room could not be made: the person is back at their place in the line. */
  Future<Void> unclaim(Ticket ticket) {
    // map, not onSuccess: whoever waits on the returned future must see the ticket back in line.
    return store.unclaim(ticket.number()).map(done -> {
      tickets.computeIfPresent(ticket.number(),
          (number, now) -> new Ticket(number, now.ticketHash(), now.nickname(), now.clientRef(),
              now.placeAtEntry(), now.enteredAt(), null, null, null, null));
      changes.changed();
      return done;
    });
  }

  /** The taken person's room and account exist: their browser may come in now. */
  Future<Ticket> intoRoom(Ticket ticket, String roomId, String guestUserId) {
    Ticket into = ticket.into(roomId, guestUserId);
    return store.setRoom(ticket.number(), roomId, guestUserId).compose(done -> {
      if (!tickets.replace(ticket.number(), ticket, into)) {
        return Future.failedFuture(new LeftMeanwhile());
      }
      changes.changed();
      Duration waited = Duration.between(ticket.enteredAt(), ticket.takenAt());
      synchronized (pickUps) {
        pickUps.addLast(new PickUp(ticket.takenAt(), waited.dividedBy(Math.max(1, ticket.placeAtEntry()))));
        while (pickUps.size() > RECENT) {
          pickUps.removeFirst();
        }
      }
      return Future.succeededFuture(into);
    });
  }

  /** The person is in the room, or gone: the line forgets them. */
  Future<Void> remove(long number) {
    forget(number);
    return store.delete(number);
  }

  /** Forgets people who stopped looking and handovers that never happened; returns how many. */
  Future<Integer> sweep() {
    Instant now = clock.instant();
    if (onDuty.values().removeIf(since -> since.plus(LONGEST_DUTY).isBefore(now))) {
      changes.changed();
    }
    List<Long> stale = tickets.values().stream().filter(ticket -> ticket.waiting()
            ? seen.getOrDefault(ticket.number(), now).plus(UNSEEN_LIMIT).isBefore(now)
            : ticket.takenAt().plus(HANDOVER_LIMIT).isBefore(now))
        .map(Ticket::number).toList();
    return Future.join(stale.stream().map(this::remove).toList()).map(stale.size());
  }

  void setDuty(String counsellor, boolean on) {
    if (on) {
      onDuty.put(counsellor, clock.instant());
    } else {
      onDuty.remove(counsellor);
    }
    changes.changed();
  }

  boolean onDuty(String counsellor) {
    return onDuty.containsKey(counsellor);
  }

  int onDutyCount() {
    return onDuty.size();
  }

  /** Who waits for the line to change: see {@link LineChanges}. */
  LineChanges changes() {
    return changes;
  }

  Instant now() {
    return clock.instant();
  }

  private void forget(long number) {
    boolean known = tickets.remove(number) != null;
    seen.remove(number);
    if (known) {
      changes.changed();
    }
  }

  private static String newSecret() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
