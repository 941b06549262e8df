package be.praatbrug.bridge.clients;

import be.praatbrug.bridge.ledger.ConsentDecision;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.ledger.LedgerExports;
import be.praatbrug.bridge.ledger.SessionRow;
import be.praatbrug.bridge.pipeline.Notices;
import be.praatbrug.policy.Action;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the {@code !cliënt} commands: shows a client record in the counsellor's chat with
 * the bot (label, consent, sessions with their times and durations) and sets its label.
 */
public final class ClientRecordReplies {

  private static final Logger LOG = LoggerFactory.getLogger(ClientRecordReplies.class);
  private static final ZoneId BELGIUM = ZoneId.of("Europe/Brussels");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy").withZone(BELGIUM);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(BELGIUM);
  /** The chat shows the latest few; the admin page and the export have them all. */
  private static final int SHOWN_SESSIONS = 10;

  private final Notices notices;
  private final ClientRecords clients;
  private final Ledger ledger;
  private final LedgerExports exports;
  private final String organisation;
  private final Clock clock;

  public ClientRecordReplies(Notices notices, ClientRecords clients, Ledger ledger,
      String organisation, Clock clock) {
    this.notices = notices;
    this.clients = clients;
    this.ledger = ledger;
    this.exports = new LedgerExports(ledger, clock);
    this.organisation = organisation;
    this.clock = clock;
  }

  public Future<Void> show(Action.ShowClientRecord action) {
    String ref = action.clientRef();
    Future<Optional<ClientRecord>> record = clients.find(ref);
    Future<Optional<String>> label = clients.label(ref);
    Future<Optional<ConsentDecision>> consent = ledger.latestConsent(ref, organisation);
    Future<List<SessionRow>> sessions = exports.sessions(ref, null, null);
    return Future.all(record, label, consent, sessions).compose(all -> reply(action.roomId(),
        record.result().map(found -> text(found, label.result(), consent.result(), sessions.result()))
            .orElse("Er is geen cliëntdossier " + ref + ".\nThere is no client record " + ref + ".")));
  }

  public Future<Void> setLabel(Action.SetClientLabel action) {
    String ref = action.clientRef();
    return clients.setLabel(ref, action.label())
        .compose(set -> reply(action.roomId(), action.label() == null
            ? "🏷️ Het label van " + ref + " is gewist.\n🏷️ The label of " + ref + " was removed."
            : "🏷️ " + ref + " heeft nu het label dat je gaf. Het wordt versleuteld bewaard en gewist "
                + "als de gegevens van de cliënt gewist worden.\n🏷️ " + ref + " now has the label you "
                + "gave. It is stored encrypted and erased when the client's data is erased."))
        .recover(failure -> {
          LOG.warn("label of {} not set: {}", ref, failure.toString());
          return reply(action.roomId(), "Het label van " + ref + " kon niet bewaard worden (bestaat "
              + "het dossier nog, of is het gewist?).\nThe label of " + ref + " could not be stored "
              + "(does the record still exist, or was it erased?).");
        });
  }

  static String text(ClientRecord record, Optional<String> label, Optional<ConsentDecision> consent,
      List<SessionRow> sessions) {
    StringBuilder nl = new StringBuilder("📁 Cliëntdossier " + record.ref());
    StringBuilder en = new StringBuilder("📁 Client record " + record.ref());
    label.ifPresent(text -> {
      nl.append(" — ").append(text);
      en.append(" — ").append(text);
    });
    nl.append("\nSinds ").append(DAY.format(record.createdAt())).append(" (").append(origin(record, true))
        .append("). Toestemming: ").append(consent(consent, true)).append('.');
    en.append("\nSince ").append(DAY.format(record.createdAt())).append(" (").append(origin(record, false))
        .append("). Consent: ").append(consent(consent, false)).append('.');
    if (record.erased()) {
      nl.append(" Persoonsgegevens gewist op ").append(DAY.format(record.erasedAt())).append('.');
      en.append(" Personal data erased on ").append(DAY.format(record.erasedAt())).append('.');
    }
    nl.append("\nGesprekken: ").append(sessions.size());
    en.append("\nSessions: ").append(sessions.size());
    List<SessionRow> latest = sessions.subList(Math.max(0, sessions.size() - SHOWN_SESSIONS), sessions.size());
    for (SessionRow row : latest) {
      String line = "\n• " + DAY.format(row.startedAt()) + " " + TIME.format(row.startedAt()) + "–"
          + (row.endedAt() == null ? "…" : TIME.format(row.endedAt())) + " ("
          + (row.durationSeconds() == null ? "bezig / running" : (row.durationSeconds() + 30) / 60 + " min")
          + ", " + row.counsellor() + (row.place() == null ? "" : ", gezinsgesprek / family session")
          + ")";
      nl.append(line);
    }
    if (!record.erased()) {
      nl.append("\nVolgend gesprek: !gesprek nieuw voor ").append(record.ref());
      en.append("\nNext session: !session new for ").append(record.ref());
    }
    return nl + "\n\n" + en;
  }

  private static String origin(ClientRecord record, boolean dutch) {
    return switch (record.origin()) {
      case ClientRecord.LINK -> dutch ? "via een link" : "through a link";
      case ClientRecord.MATRIX -> dutch ? "Matrix-account" : "Matrix account";
      case ClientRecord.DOOR -> dutch ? "anoniem via de deur op de website" : "anonymously through the website's door";
      default -> dutch ? "referentie van voor de dossiers" : "reference from before records";
    };
  }

  private static String consent(Optional<ConsentDecision> latest, boolean dutch) {
    if (latest.isEmpty()) {
      return dutch ? "nog niet gegeven" : "not given yet";
    }
    ConsentDecision decision = latest.get();
    String day = DAY.format(decision.at());
    if (!decision.given()) {
      return (dutch ? "ingetrokken op " : "withdrawn on ") + day;
    }
    return (dutch ? "gegeven op " : "given on ") + day + " (" + (dutch ? "tekst " : "text ")
        + decision.version() + (decision.under12() ? (dutch ? ", door ouder of voogd" : ", by a parent or guardian") : "") + ")";
  }

  private Future<Void> reply(String roomId, String text) {
    return notices.send(roomId, text, "praatbrug.client." + clock.millis());
  }
}
