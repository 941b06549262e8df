package be.praatbrug.bridge.door;

import be.praatbrug.bridge.door.DoorLineStore.Ticket;
import be.praatbrug.bridge.entry.GuestAccounts;
import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.matrix.DeviceLogin;
import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.bridge.pipeline.Notices;
import be.praatbrug.bridge.rooms.Admissions;
import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.rooms.LedgerRecords;
import be.praatbrug.bridge.rooms.PolicyRepository;
import be.praatbrug.bridge.rooms.RoomLifecycle;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.rules.Policy;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What counsellors do at the door ({@code !deur}, or the counsellor page's buttons, which send the
 * same commands): go on or off duty, look at the line, take someone. Taking makes an ordinary
 * counselling room under the door's policy for the counsellor, with the person's client record
 * (made when they consented at the door), a guest account for their browser already let in and
 * invited, and the take in the ledger (wait and counsellor, never nickname or question).
 */
public final class DoorActions {

  private static final Logger LOG = LoggerFactory.getLogger(DoorActions.class);

  /** The parts a take needs; all exist in the running bridge. */
  public record Parts(PolicyRepository policies, RoomLifecycle rooms,
      GuestAccounts guests, Admissions admissions, MatrixClient matrix, RoomRegistry registry,
      LedgerRecords records, Notices notices) {}

  private final WaitingLine line;
  private final Parts parts;
  /** Taken person's line number → the device their browser takes over (never stored: a token). */
  private final Map<Long, Future<DeviceLogin>> handovers = new ConcurrentHashMap<>();

  DoorActions(WaitingLine line, Parts parts) {
    this.line = line;
    this.parts = parts;
  }

  public Future<Void> setDuty(Action.SetDoorDuty duty, String txnId) {
    if (parts.policies().door().isEmpty()) {
      return reply(duty.roomId(), NO_DOOR, txnId);
    }
    line.setDuty(duty.counsellorId(), duty.onDuty());
    LOG.info("door duty {} for {}", duty.onDuty() ? "on" : "off", duty.counsellorId());
    return reply(duty.roomId(), duty.onDuty()
        ? "🟢 Je hebt deurdienst: mensen aan de deur zien dat er iemand is. Neem op met !deur opnemen <nummer>; "
            + "stop met !deur dienst uit (na 10 uur stopt het vanzelf).\n"
            + "🟢 You are on duty at the door. Take someone with !door take <number>; stop with !door duty off."
        : "⚪ Je deurdienst is voorbij.\n⚪ You are off duty at the door.", txnId);
  }

  public Future<Void> showLine(Action.ShowDoorLine show, String txnId) {
    if (parts.policies().door().isEmpty()) {
      return reply(show.roomId(), NO_DOOR, txnId);
    }
    var waiting = line.waiting();
    if (waiting.isEmpty()) {
      return reply(show.roomId(), "Niemand wacht aan de deur.\nNobody is waiting at the door.", txnId);
    }
    String lines = waiting.stream().map(ticket -> "• nr. " + ticket.number() + " — " + ticket.nickname()
            + " — wacht " + minutes(Duration.between(ticket.enteredAt(), line.now())) + " min")
        .collect(Collectors.joining("\n"));
    return reply(show.roomId(), "Aan de deur / at the door:\n" + lines
        + "\nNeem op met !deur opnemen <nummer> / take with !door take <number>", txnId);
  }

  /**
   * Exactly one of several counsellors taking the same number at once gets the person. The claim
   * answers the transaction; the room is made after it, so the colleague who lost (whose command
   * may sit in the homeserver's next transaction) is told at once, not after a room was created.
   */
  public Future<Void> take(Action.TakeFromDoor take, String txnId) {
    Optional<Policy> door = parts.policies().door();
    if (door.isEmpty()) {
      return reply(take.roomId(), NO_DOOR, txnId);
    }
    return line.claim(take.number(), take.counsellorId()).compose(claimed -> {
      if (claimed.isEmpty()) {
        return reply(take.roomId(), "⛔ Nummer " + take.number() + " is al opgenomen door een collega, of "
            + "staat niet (meer) in de wachtrij.\n⛔ Number " + take.number() + " was taken by a colleague "
            + "already, or is not (or no longer) in the line.", txnId);
      }
      // A restart before the room exists puts the person back in the line (WaitingLine.load).
      openClaimed(claimed.get(), take, door.get(), txnId);
      return Future.succeededFuture();
    });
  }

  private void openClaimed(Ticket ticket, Action.TakeFromDoor take, Policy door, String txnId) {
    long started = System.nanoTime();
    openRoom(ticket, take, door)
          // The number before the nickname: a nickname such as "nr. 3" must not be read as the number.
          .compose(room -> reply(take.roomId(), "✅ Opgenomen: nr. " + ticket.number() + " ("
              + ticket.nickname() + ") komt naar gesprek " + room.name() + " (" + room.roomId()
              + "); je bent uitgenodigd. De eerste vraag verschijnt daar zodra jij in de kamer bent.\n"
              + "✅ Taken: no. " + ticket.number() + " (" + ticket.nickname() + ") is coming to session "
              + room.name() + " (" + room.roomId() + "); you are invited. Their first question appears "
              + "there once you are in the room.\n" + afterwards(ticket.clientRef()), txnId))
          .onSuccess(replied -> LOG.info("door number {} taken and answered in {} ms", ticket.number(),
              (System.nanoTime() - started) / 1_000_000))
          .recover(failure -> {
            if (failure instanceof WaitingLine.LeftMeanwhile) {
              LOG.info("door number {} left the line while the room was being made", ticket.number());
              return reply(take.roomId(), "⚪ Nr. " + ticket.number() + " heeft de wachtrij verlaten terwijl de "
                  + "kamer klaargemaakt werd; die kamer is gesloten.\n⚪ No. " + ticket.number() + " left the line "
                  + "while the room was being made; that room is closed.", txnId);
            }
            LOG.error("taking door number {} failed; back in the line: {}", ticket.number(), failure.toString());
            return line.unclaim(ticket).compose(back -> reply(take.roomId(),
                "⚠️ Opnemen lukte niet (de homeserver antwoordde niet); nr. " + ticket.number()
                    + " staat terug in de wachtrij. Probeer opnieuw.\n⚠️ Taking failed; the person is back "
                    + "in the line. Try again.", txnId));
          })
          .onFailure(failure -> LOG.error("door number {}: the counsellor was not told: {}", ticket.number(),
              failure.toString()));
  }

  private Future<CounsellingRoom> openRoom(Ticket ticket, Action.TakeFromDoor take, Policy policy) {
    return parts.rooms().createRoomFor(take.roomId(), take.counsellorId(), policy.name(), ticket.clientRef())
        .compose(room -> parts.guests().reserve(room.roomId())
            .map(slot -> parts.guests().provision(slot, ticket.nickname()))
            .orElseGet(() -> Future.failedFuture(new IllegalStateException("no guest place in a new room")))
            .compose(device -> parts.admissions()
                .admit(new Action.AdmitClient(room.roomId(), device.userId(), null))
                .compose(admitted -> {
                  parts.registry().setMembership(room.roomId(), device.userId(), "invite",
                      parts.matrix().botUserId());
                  return parts.matrix().invite(room.roomId(), device.userId());
                })
                .compose(invited -> line.intoRoom(ticket, room.roomId(), device.userId())
                    .recover(failure -> failure instanceof WaitingLine.LeftMeanwhile
                        ? closeUnused(room.roomId()).compose(closed -> Future.failedFuture(failure))
                        : Future.failedFuture(failure)))
                .map(into -> {
                  handovers.put(ticket.number(), Future.succeededFuture(device));
                  var now = line.now();
                  parts.records().record(Entries.knockAdmitted(ticket.clientRef(), room.roomId(),
                      take.counsellorId(), "door", now));
                  parts.records().record(Entries.doorTaken(ticket.clientRef(), room.roomId(),
                      take.counsellorId(), Duration.between(ticket.enteredAt(), ticket.takenAt()), now));
                  LOG.info("door number {} taken by {} into {}", ticket.number(), take.counsellorId(),
                      room.roomId());
                  return room;
                })));
  }

  /** The room made for someone who left meanwhile: its guest ends and the session closes. */
  private Future<Void> closeUnused(String roomId) {
    return parts.guests().endIn(roomId)
        .compose(ended -> parts.rooms().endSession(new Action.EndSession(roomId)))
        .recover(failure -> {
          LOG.error("closing the unused door room {} failed: {}", roomId, failure.toString());
          return Future.succeededFuture();
        });
  }

  /**
   * The device the taken person's browser uses from now on: the one made at the take, or (after a
   * restart) one fresh login of the same account. Every ask gets the same device until the person
   * is in the room, so two tabs send the kept question under one device and one transaction id.
   */
  Future<DeviceLogin> handOver(Ticket ticket) {
    Future<DeviceLogin> device = handovers.computeIfAbsent(ticket.number(),
        number -> parts.matrix().loginNamespaceUser(ticket.guestUserId(), GuestAccounts.DEVICE_NAME));
    // A failed login is not kept: the next ask (even one from this failure's handler) tries again.
    return device.recover(failed -> {
      handovers.remove(ticket.number(), device);
      return Future.failedFuture(failed);
    });
  }

  /** Whether the taken person's account is in its room already (the line forgets them then). */
  boolean inRoom(Ticket ticket) {
    if (ticket.roomId() == null || !parts.registry().isManaged(ticket.roomId())) {
      return false;
    }
    return "join".equals(parts.registry().snapshot(ticket.roomId(), line.now())
        .membership(ticket.guestUserId()));
  }

  void forget(long number) {
    handovers.remove(number);
  }

  private Future<Void> reply(String roomId, String text, String txnId) {
    return parts.notices().send(roomId, text, txnId);
  }

  /** What she can do after the first contact: all ordinary commands, under the door's client record. */
  private static String afterwards(String clientRef) {
    return "Daarna: een vervolg met !afspraak <dag> <uur> voor " + clientRef + " of !gesprek nieuw voor "
        + clientRef + " (zelfde dossier, geen nieuwe toestemming); overdragen aan een collega met "
        + "!gesprek doorverwijzen @collega; afsluiten met !gesprek einde.\n"
        + "Afterwards: a follow-up with !appointment <day> <time> for " + clientRef + " or !session new for "
        + clientRef + " (same record, no new consent); hand over to a colleague with !session refer "
        + "@colleague; close with !session end.";
  }

  private static long minutes(Duration waited) {
    return Math.max(0, waited.toMinutes());
  }

  private static final String NO_DOOR = "Deze organisatie heeft geen deur op de website (geen beleid met een "
      + "'door'-sectie).\nThis organisation has no door on its website (no policy with a 'door' section).";
}
