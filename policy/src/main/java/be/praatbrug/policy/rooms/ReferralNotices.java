package be.praatbrug.policy.rooms;

import java.time.Duration;

/**
 * What the bot says about a warm referral, Dutch first and English second: to the referring
 * counsellor, and the texts meant for the client.
 *
 * <p>Client texts start with "Voor de cliënt": they go to the counsellor's direct chat with the bot
 * like every notice while the bot cannot post in the encrypted room.
 */
final class ReferralNotices {

  private ReferralNotices() {}

  static String started(String room, String partner, Duration handover) {
    return "🤝 " + partner + " is uitgenodigd in '" + room + "' voor een warme doorverwijzing. Stel "
        + "de cliënt voor en verlaat daarna de kamer: " + partner + " neemt het gesprek dan over. "
        + "Na " + minutes(handover) + " minuten zonder overdracht wordt " + partner
        + " verwijderd en is het gesprek weer alleen van jou en de cliënt.\n"
        + partner + " was invited to '" + room + "' for a warm referral. Introduce the client, then "
        + "leave the room: " + partner + " then takes over. If you have not left after "
        + minutes(handover) + " minutes, " + partner + " is removed and the session is yours and the "
        + "client's alone again.";
  }

  static String startedForClient(String partner) {
    return "Voor de cliënt: je hulpverlener stelt je voor aan " + partner + " van een "
        + "partnerorganisatie. Even zijn jullie met drie; daarna verlaat je hulpverlener het gesprek "
        + "en praat je verder met " + partner + ", alleen met z'n tweeën en even vertrouwelijk.\n"
        + "For the client: your counsellor is introducing you to " + partner + " of a partner "
        + "organisation. For a short while there are three of you; then your counsellor leaves and "
        + "you go on with " + partner + ", just the two of you and just as confidential.";
  }

  static String partnerJoined(String room, String partner) {
    return "🤝 " + partner + " is binnen in '" + room + "'. Verlaat de kamer zodra de overdracht "
        + "klaar is.\n" + partner + " has joined '" + room + "'. Leave the room once the handover "
        + "is done.";
  }

  static String completed(String room, String partner) {
    return "✅ Doorverwijzing voltooid: " + partner + " is nu de hulpverlener in '" + room
        + "'; het gesprek is weer één-op-één.\n"
        + "Referral complete: " + partner + " is now the counsellor in '" + room
        + "'; the session is one-to-one again.";
  }

  static String completedForClient(String partner) {
    return "Voor de cliënt: je praat nu verder met " + partner + ". Je vorige hulpverlener is "
        + "uit het gesprek en leest niet meer mee.\n"
        + "For the client: you now continue with " + partner + ". Your previous counsellor has left "
        + "and no longer reads along.";
  }

  static String expired(String room, String partner) {
    return "⌛ De overdrachtstijd in '" + room + "' is voorbij zonder overdracht: " + partner
        + " is verwijderd en het gesprek is weer één-op-één.\n"
        + "The handover time in '" + room + "' has passed without a handover: " + partner
        + " was removed and the session is one-to-one again.";
  }

  static String partnerLeft(String room, String partner) {
    return "ℹ️ " + partner + " heeft '" + room + "' verlaten; de doorverwijzing is gestopt en het "
        + "gesprek is weer één-op-één.\n" + partner + " left '" + room + "'; the referral has "
        + "stopped and the session is one-to-one again.";
  }

  private static long minutes(Duration handover) {
    return Math.max(1, handover.toMinutes());
  }
}
