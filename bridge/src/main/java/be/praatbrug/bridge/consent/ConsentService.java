package be.praatbrug.bridge.consent;

import be.praatbrug.bridge.clients.ClientRecord;
import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.ledger.ConsentDecision;
import be.praatbrug.bridge.ledger.ConsentText;
import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.pipeline.Notices;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.clients.ConsentStatus;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consent per client record: the step for clients with a Matrix account (in a chat with the bot),
 * the link page's consent, withdrawal, and the lookup behind the consent gate.
 *
 * <p>Consent is recorded once per client record and consent-text version, and holds until it is
 * withdrawn ({@link ConsentStatus}). The gate asks {@link #consentOnRecord} about the people an
 * event concerns: a link client through their room's record, a Matrix account through its own.
 * When consent is given or withdrawn, the {@link Listener} lets a waiting knock in or ends the
 * running session.
 */
public final class ConsentService {

  static final String CHANNEL = "matrix";
  static final String LINK_CHANNEL = "link";
  static final String DOOR_CHANNEL = "door";
  static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.forLanguageTag("nl-BE"))
          .withZone(ZoneId.of("Europe/Brussels"));
  static final DateTimeFormatter DAY_EN =
      DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneId.of("Europe/Brussels"));

  private static final Logger LOG = LoggerFactory.getLogger(ConsentService.class);

  /** What follows from a consent decision, outside the ledger. */
  public interface Listener {
    /** {@code userId} (a Matrix account) consented: a knock of theirs that waits may go in now. */
    void consentGiven(String userId);

    /** Client record {@code clientRef} withdrew consent: its running session ends. */
    void consentWithdrawn(String clientRef);

    /**
     * Client record {@code clientRef} consented on a link: in a family session, a child's waiting
     * knock that needed a parent's agreement may go in now.
     */
    default void linkConsentGiven(String clientRef) {}

    /**
     * A Matrix account withdrew its consent: on a family session's named place it leaves (its
     * consent is its own record's, the place's record holds its part in the session).
     */
    default void consentWithdrawnBy(String userId) {}

    /**
     * Someone came in on a named place of family session {@code roomId}: a child's waiting knock
     * that needed a parent in the session may go in now.
     */
    default void placeTaken(String roomId) {}
  }

  private final Ledger ledger;
  private final Notices notices;
  private final ClientRecords clients;
  private final Predicate<String> isGuest;
  private final Function<String, String> guestRecord;
  private Function<String, List<String>> household = user -> List.of();
  private final String organisation;
  private final Clock clock;
  /** Each decision reads the ledger before it writes: one at a time per record, or both write. */
  private final OnePerRecord decisions = new OnePerRecord();
  private volatile Listener listener = new Listener() {
    @Override
    public void consentGiven(String userId) {}

    @Override
    public void consentWithdrawn(String clientRef) {}
  };

  /**
   * @param isGuest whether a user id is a guest account made for a link client
   * @param guestRecord a guest account → its room's client record (or null)
   */
  public ConsentService(Ledger ledger, Notices notices, ClientRecords clients,
      Predicate<String> isGuest, Function<String, String> guestRecord, String organisation,
      Clock clock) {
    this.ledger = ledger;
    this.notices = notices;
    this.clients = clients;
    this.isGuest = isGuest;
    this.guestRecord = guestRecord;
    this.organisation = organisation;
    this.clock = clock;
  }

  public void setListener(Listener listener) {
    this.listener = listener;
  }

  /**
   * Where a child under 12 can find the parent who agrees on their own place: a user → the records
   * of the parents' places in the family session they are in (none outside one).
   */
  public void useHousehold(Function<String, List<String>> others) {
    this.household = others;
  }

  /** Of {@code userIds}, those whose client record has consent to the current text on record. */
  public Future<Set<String>> consentOnRecord(Collection<String> userIds) {
    Optional<ConsentText> current = current("nl");
    if (current.isEmpty() || userIds.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    List<String> users = new ArrayList<>(userIds);
    List<Future<Boolean>> checks = new ArrayList<>();
    String version = current.get().version();
    for (String user : users) {
      checks.add(recordOf(user).compose(ref -> ref.isEmpty() ? Future.succeededFuture(false)
          : ledger.latestConsent(ref.get(), organisation).compose(latest -> {
            boolean given = latest.filter(d -> d.given() && version.equals(d.version())).isPresent();
            // A child whose parent agrees on their own place counts once that parent has.
            return given && latest.get().guardianInSession() ? adultConsentAmong(household.apply(user), version)
                : Future.succeededFuture(given);
          })));
    }
    return Future.all(checks).map(all -> {
      Set<String> consented = new HashSet<>();
      for (int i = 0; i < users.size(); i++) {
        if (Boolean.TRUE.equals(checks.get(i).result())) {
          consented.add(users.get(i));
        }
      }
      return consented;
    });
  }

  /** Tells the listener someone came in on a named place of {@code roomId} (see {@link Listener#placeTaken}). */
  public void placeTaken(String roomId) {
    if (listener != null) {
      listener.placeTaken(roomId);
    }
  }

  /** Whether one of {@code refs} has an adult's consent to {@code version} in force. */
  private Future<Boolean> adultConsentAmong(List<String> refs, String version) {
    List<Future<Boolean>> adults = new ArrayList<>();
    for (String ref : refs) {
      adults.add(ledger.latestConsent(ref, organisation).map(latest -> latest
          .filter(d -> d.given() && version.equals(d.version()) && !d.under12()).isPresent()));
    }
    return Future.all(adults).map(all -> adults.stream().anyMatch(Future::result));
  }

  /** The record consent of {@code userId} is kept under, if there is one yet. */
  private Future<Optional<String>> recordOf(String userId) {
    if (isGuest.test(userId)) {
      return Future.succeededFuture(Optional.ofNullable(guestRecord.apply(userId)));
    }
    return clients.ofAccount(userId).map(record -> record.map(ClientRecord::ref));
  }

  /** Where {@code clientRef} stands with consent to the current text (NONE without a record). */
  public Future<Standing> standing(String clientRef) {
    String version = current("nl").map(ConsentText::version).orElse(null);
    if (clientRef == null) {
      return Future.succeededFuture(new Standing(ConsentStatus.NONE, Optional.empty()));
    }
    return ledger.latestConsent(clientRef, organisation).map(latest -> new Standing(
        ConsentStatus.of(latest.map(ConsentDecision::given).orElse(null),
            latest.map(ConsentDecision::version).orElse(null), version), latest));
  }

  /** A record's consent status with the decision it comes from (empty for NONE). */
  public record Standing(ConsentStatus status, Optional<ConsentDecision> latest) {}

  public Future<Void> show(Action.ShowConsentText action) {
    Optional<ConsentText> dutch = current("nl");
    if (dutch.isEmpty()) {
      return reply(action.roomId(), "Er is geen toestemmingstekst ingesteld; neem contact op met de "
          + "organisatie.\nNo consent text is configured; please contact the organisation.");
    }
    String english = current("en").map(text -> "\n\n— English —\n\n" + text.text()).orElse("");
    return reply(action.roomId(), dutch.get().text().strip() + english + "\n\n"
        + "Akkoord? Typ: !toestemming geef (onder 12 jaar: !toestemming geef voogd Voornaam Naam)\n"
        + "Agree? Type: !consent give (under 12: !consent give guardian First Last)");
  }

  /**
   * {@code !toestemming geef}: records consent under the account's record (made now if it has
   * none), once per text version; a waiting knock of the account then goes in.
   */
  public Future<Void> record(Action.RecordConsent action) {
    Optional<ConsentText> text = current("nl");
    if (text.isEmpty()) {
      return show(new Action.ShowConsentText(action.roomId()));
    }
    return clients.ofAccountOrNew(action.userId(), null).compose(record ->
        decisions.run(record.ref(), () -> standing(record.ref()).compose(standing ->
            standing.status() == ConsentStatus.GIVEN ? Future.succeededFuture(standing.latest())
                : ledger.append(Entries.consentGiven(record.ref(), text.get(), CHANNEL,
                    action.guardianName(), clock.instant())).map(Optional.<ConsentDecision>empty())))
        .compose(earlier -> {
          // earlier: the consent already in force, so nothing new was recorded.
          listener.consentGiven(action.userId());
          if (earlier.isPresent()) {
            ConsentDecision given = earlier.get();
            return reply(action.roomId(), "✅ Je gaf al toestemming op " + DAY.format(given.at())
                + " (tekst " + given.version() + "); die blijft gelden tot je ze intrekt "
                + "(!toestemming intrekken). " + yourReference(record.ref(), true) + "\n✅ You already "
                + "consented on " + DAY_EN.format(given.at()) + " (text " + given.version() + "); it "
                + "holds until you withdraw it (!consent withdraw). " + yourReference(record.ref(), false));
          }
          return reply(action.roomId(), "✅ Bedankt, je toestemming is genoteerd (tekst "
              + text.get().version() + "). Klopte je al aan met een geldige code, dan word je nu "
              + "binnengelaten; anders kan je aankloppen met je code. Intrekken kan altijd met "
              + "!toestemming intrekken. " + yourReference(record.ref(), true)
              + "\n✅ Thank you, your consent is recorded (text "
              + text.get().version() + "). If you already knocked with a valid code, you are let "
              + "in now; otherwise knock with your code. Withdraw any time with !consent withdraw. "
              + yourReference(record.ref(), false));
        }));
  }

  /** The client's own reference: what they name when they ask to see, correct or erase their data. */
  private static String yourReference(String ref, boolean dutch) {
    return dutch ? "Je cliëntreferentie is " + ref + "; vermeld ze als je wil weten wat we over je "
        + "bewaren, of iets wil laten verbeteren of wissen."
        : "Your client reference is " + ref + "; mention it when you want to know what we keep about "
        + "you, or have something corrected or erased.";
  }

  /** {@code !toestemming intrekken}: records the withdrawal; a running session of the client ends. */
  public Future<Void> withdraw(Action.WithdrawConsent action) {
    return clients.ofAccount(action.userId()).compose(record -> {
      if (record.isEmpty()) {
        return reply(action.roomId(), "Er is geen toestemming van jou genoteerd; er valt niets in te "
            + "trekken.\nNo consent of yours is on record; there is nothing to withdraw.");
      }
      return withdrawRecord(record.get().ref(), CHANNEL).map(withdrawn -> {
        if (withdrawn && listener != null) {
          listener.consentWithdrawnBy(action.userId());
        }
        return withdrawn;
      }).compose(withdrawn -> reply(action.roomId(),
          withdrawn ? "Je toestemming is ingetrokken en genoteerd. Een lopend gesprek is beëindigd.\n"
              + "Your consent has been withdrawn and recorded. A running session has ended."
              : "Er is geen geldende toestemming van jou; er valt niets in te trekken.\n"
              + "No consent of yours is in force; there is nothing to withdraw."));
    });
  }

  /**
   * Records consent given on the client page (channel {@code link}) under {@code clientRef}, to the
   * text shown there, in the language it was shown in; once per record and text version.
   */
  public Future<Void> recordFromLink(String clientRef, ConsentText shown, String guardianName) {
    return recordFromLink(clientRef, shown, guardianName, false);
  }

  /** The same, for a child under 12 whose parent agrees on their own place in the session. */
  public Future<Void> recordFromLink(String clientRef, ConsentText shown, String guardianName,
      boolean guardianInSession) {
    return giveOnce(clientRef, shown, LINK_CHANNEL, guardianName, guardianInSession)
        .map(given -> {
          if (listener != null) {
            listener.linkConsentGiven(clientRef);
          }
          return given;
        });
  }

  /** Records consent given at the door (channel {@code door}): anonymous, no guardian. */
  public Future<Void> recordFromDoor(String clientRef, ConsentText shown) {
    return giveOnce(clientRef, shown, DOOR_CHANNEL, null, false);
  }

  /** Appends the consent unless the record's latest decision already consents to this version. */
  private Future<Void> giveOnce(String clientRef, ConsentText shown, String channel,
      String guardianName, boolean guardianInSession) {
    return decisions.run(clientRef, () -> ledger.latestConsent(clientRef, shown.organisation())
        // A child who pointed to a parent in a family session, and later has a guardian named
        // (or the other way round), gets the new consent on record.
        .compose(latest -> latest.filter(decision -> decision.given()
                && decision.version().equals(shown.version())
                && decision.guardianInSession() == guardianInSession).isPresent()
            ? Future.<Void>succeededFuture()
            : ledger.append(Entries.consentGiven(clientRef, shown, channel, guardianName,
                guardianInSession, clock.instant())).mapEmpty()));
  }

  /**
   * Withdraws the consent of {@code clientRef} and ends its running session; false when no consent
   * was in force (nothing is recorded then).
   */
  public Future<Boolean> withdrawRecord(String clientRef, String channel) {
    return decisions.run(clientRef, () -> ledger.latestConsent(clientRef, organisation)
        .compose(latest -> latest.isEmpty() || !latest.get().given()
            ? Future.succeededFuture(false)
            : ledger.append(Entries.consentWithdrawn(clientRef, organisation,
                latest.get().version(), channel, clock.instant())).map(true)))
        // map, not onSuccess: the session has been told to end before the caller answers.
        .map(withdrawn -> {
          if (withdrawn) {
            LOG.info("a client withdrew consent ({})", channel);
            try {
              listener.consentWithdrawn(clientRef);
            } catch (RuntimeException e) {
              // The withdrawal is on record: the client is not told it failed.
              LOG.error("after a withdrawal the sessions were not told to end: {}", e.toString());
            }
          }
          return withdrawn;
        });
  }

  /** The organisation's current consent text in {@code language}, if one is configured. */
  public Optional<ConsentText> current(String language) {
    return ledger.consentTexts().current(organisation, language);
  }

  public String organisation() {
    return organisation;
  }

  private Future<Void> reply(String roomId, String text) {
    return notices.send(roomId, text, "praatbrug.consent." + clock.millis());
  }
}
