package be.praatbrug.bridge.consent;

import be.praatbrug.bridge.ledger.ClientRefs;
import be.praatbrug.bridge.ledger.ConsentText;
import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.policy.Action;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The consent step for clients with a Matrix account, and the lookup behind the consent gate.
 *
 * <p>The client reads the organisation's current consent text in a chat with the bot and consents
 * there ({@code !toestemming geef}); the ledger records the text's version and SHA-256 under the
 * client's pseudonymous reference. Knocks and invites in rooms whose policy requires consent wait
 * until {@link #consentOnRecord} finds it.
 */
public final class ConsentService {

  static final String CHANNEL = "matrix";
  static final String LINK_CHANNEL = "link";

  private final Ledger ledger;
  private final MatrixClient matrix;
  private final String organisation;
  private final byte[] secret;
  private final Clock clock;

  public ConsentService(Ledger ledger, MatrixClient matrix, String organisation, byte[] secret,
      Clock clock) {
    this.ledger = ledger;
    this.matrix = matrix;
    this.organisation = organisation;
    this.secret = secret.clone();
    this.clock = clock;
  }

  /** Of {@code userIds}, those whose consent to the current text is in the ledger. */
  public Future<Set<String>> consentOnRecord(Collection<String> userIds) {
    Optional<ConsentText> current = current("nl");
    if (current.isEmpty() || userIds.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    List<String> users = new ArrayList<>(userIds);
    List<Future<Boolean>> checks = new ArrayList<>();
    for (String user : users) {
      checks.add(ledger.hasConsent(ClientRefs.of(secret, user), organisation, current.get().version()));
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

  public Future<Void> record(Action.RecordConsent action) {
    Optional<ConsentText> text = current("nl");
    if (text.isEmpty()) {
      return show(new Action.ShowConsentText(action.roomId()));
    }
    String ref = ClientRefs.of(secret, action.userId());
    return ledger.append(Entries.consentGiven(ref, text.get(), CHANNEL, action.guardianName(),
            clock.instant()))
        .compose(entry -> reply(action.roomId(), "✅ Bedankt, je toestemming is genoteerd (tekst "
            + text.get().version() + "). Je kan nu aankloppen met je code. Intrekken kan altijd met "
            + "!toestemming intrekken.\n✅ Thank you, your consent is recorded (text "
            + text.get().version() + "). You can now knock with your code. Withdraw any time with "
            + "!consent withdraw."));
  }

  /**
   * Records consent given on the client page (channel {@code link}) to the text shown there, in
   * the language it was shown in.
   */
  public Future<Void> recordFromLink(String userId, ConsentText shown, String guardianName) {
    return ledger.append(Entries.consentGiven(ClientRefs.of(secret, userId), shown, LINK_CHANNEL,
        guardianName, clock.instant())).mapEmpty();
  }

  public Future<Void> withdraw(Action.WithdrawConsent action) {
    Optional<ConsentText> text = current("nl");
    String version = text.map(ConsentText::version).orElse("none");
    return ledger.append(Entries.consentWithdrawn(ClientRefs.of(secret, action.userId()), organisation,
            version, CHANNEL, clock.instant()))
        .compose(entry -> reply(action.roomId(), "Je toestemming is ingetrokken en genoteerd.\n"
            + "Your consent has been withdrawn and recorded."));
  }

  /** The organisation's current consent text in {@code language}, if one is configured. */
  public Optional<ConsentText> current(String language) {
    return ledger.consentTexts().current(organisation, language);
  }

  private Future<Void> reply(String roomId, String text) {
    return matrix.sendEvent(roomId, "m.room.message", "praatbrug.consent." + clock.millis(),
        new JsonObject().put("msgtype", "m.notice").put("body", text)).mapEmpty();
  }
}
