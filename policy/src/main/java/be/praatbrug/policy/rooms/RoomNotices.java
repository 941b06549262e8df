package be.praatbrug.policy.rooms;

/**
 * What the bot tells the counsellor about their room, Dutch first and English second.
 *
 * <p>Texts name the room by its handle and people by their Matrix id only: never message content.
 */
final class RoomNotices {

  private RoomNotices() {}

  static String removedOverLimit(String room, String userId, int max) {
    return "🔒 " + userId + " is uit '" + room + "' verwijderd: er mogen maximaal " + max
        + " personen in het gesprek.\n"
        + userId + " was removed from '" + room + "': at most " + max + " people may be in the session.";
  }

  static String inviteRescinded(String room, String userId, String inviter) {
    return "🔒 De uitnodiging van " + userId + " in '" + room + "' is ingetrokken: alleen jij nodigt uit (niet "
        + inviter + ").\n"
        + "The invite of " + userId + " to '" + room + "' was withdrawn: only you may invite (not "
        + inviter + ").";
  }

  static String serverNotAllowed(String room, String userId) {
    return "🔒 " + userId + " is uit '" + room + "' geweerd: die server is geen partnerorganisatie.\n"
        + userId + " was kept out of '" + room + "': that server is not a partner organisation.";
  }

  static String notInvited(String room, String userId) {
    return "🔒 " + userId + " kwam '" + room + "' binnen zonder uitnodiging en is verwijderd.\n"
        + userId + " entered '" + room + "' without an invitation and was removed.";
  }

  static String closedRoom(String room, String userId) {
    return "🔒 " + userId + " is uit '" + room + "' geweerd: dit gesprek is afgesloten.\n"
        + userId + " was kept out of '" + room + "': this session has ended.";
  }

  static String admittedWithCode(String room, String userId) {
    return "✅ " + userId + " klopte aan bij '" + room + "' met een geldige code en is toegelaten.\n"
        + userId + " knocked on '" + room + "' with a valid code and was let in.";
  }

  static String knockWithoutValidCode(String room, String userId) {
    return "🚪 " + userId + " klopt aan bij '" + room + "' zonder geldige code.\n"
        + "Toelaten: !gesprek toelaten " + userId + " " + room
        + " — weigeren: !gesprek weigeren " + userId + " " + room + "\n"
        + userId + " is knocking on '" + room + "' without a valid code. "
        + "Admit: !session admit " + userId + " " + room + " — deny: !session deny " + userId + " " + room;
  }

  static String knockWhileFull(String room, String userId) {
    return "🚪 " + userId + " klopt aan bij '" + room + "', maar het gesprek is vol. De vraag blijft wachten.\n"
        + userId + " is knocking on '" + room + "', but the session is full. The request stays pending.";
  }

  static String noConsentYet(String room, String userId) {
    return "📝 " + userId + " kan nog niet binnen in '" + room + "': er is nog geen toestemming. "
        + "Een cliënt met een Matrix-account krijgt van de bot een bericht met uitleg; zodra de "
        + "toestemming genoteerd is, wordt een klop met een geldige code meteen toegelaten.\n"
        + userId + " cannot enter '" + room + "' yet: no consent is on record. A client with a Matrix "
        + "account gets a message from the bot explaining how; once consent is recorded, a knock "
        + "with a valid code is let in at once.";
  }

  static String knockWithoutValidCodeNorConsent(String room, String userId) {
    return "🚪 " + userId + " klopt aan bij '" + room + "' zonder geldige code en zonder toestemming. "
        + "Toelaten kan pas als de toestemming genoteerd is (de bot legt uit hoe); weigeren: "
        + "!gesprek weigeren " + userId + " " + room + "\n"
        + userId + " is knocking on '" + room + "' without a valid code and without consent. "
        + "Admitting is possible once consent is recorded (the bot explains how); deny: "
        + "!session deny " + userId + " " + room;
  }

  static String consentNowGiven(String room, String userId) {
    return "📝 " + userId + " heeft nu toestemming gegeven en klopt nog aan bij '" + room
        + "' (zonder geldige code). Toelaten: !gesprek toelaten " + userId + " " + room + "\n"
        + userId + " has now consented and is still knocking on '" + room + "' (without a valid "
        + "code). Admit: !session admit " + userId + " " + room;
  }

  /**
   * The bot's direct message to someone with a Matrix account who knocked before consenting:
   * where to read what is kept, how to agree, and that knocking again is not needed.
   */
  static String howToConsent(String organisation) {
    String org = organisation.toUpperCase(java.util.Locale.ROOT);
    return "👋 Je klopte aan voor een gesprek met " + org + " via Praatbrug. Voor we je binnenlaten, "
        + "vragen we je toestemming: lees hoe we met je gegevens omgaan en ga akkoord.\n"
        + "1. Typ hier: !toestemming (je krijgt de tekst te lezen)\n"
        + "2. Akkoord? Typ: !toestemming geef (jonger dan 12: !toestemming geef voogd Voornaam Naam)\n"
        + "Klopte je aan met de code van je hulpverlener, dan word je daarna meteen binnengelaten; "
        + "opnieuw aankloppen hoeft niet.\n\n"
        + "👋 You knocked for a conversation with " + org + " through Praatbrug. Before we let you "
        + "in, we ask for your consent: read how we handle your data and agree.\n"
        + "1. Type here: !consent (you get the text to read)\n"
        + "2. Agree? Type: !consent give (under 12: !consent give guardian First Last)\n"
        + "If you knocked with your counsellor's code, you are let in right after; there is no "
        + "need to knock again.";
  }

  /**
   * Said in the counselling room itself when the client comes in. The room is end-to-end
   * encrypted, so the bot says it through its own encrypted device; it keeps no keys to read the
   * conversation itself.
   */
  static String welcome() {
    return "👋 Welkom. Dit gesprek is end-to-end versleuteld: alleen jij en je hulpverlener kunnen"
        + " lezen wat hier gezegd wordt. Er wordt niets opgenomen. Je kan het gesprek altijd"
        + " beëindigen.\n"
        + "Welcome. This conversation is end-to-end encrypted: only you and your counsellor can read"
        + " what is said here. Nothing is recorded. You can end the conversation at any time.";
  }

  static String clientLeft(String room) {
    return "ℹ️ De cliënt heeft '" + room + "' verlaten. Typ !gesprek einde " + room + " om af te sluiten.\n"
        + "The client left '" + room + "'. Type !session end " + room + " to close it.";
  }

  static String settingRestored(String room, String type) {
    return "🔒 De instelling " + type + " van '" + room + "' werd gewijzigd en is teruggezet volgens het beleid.\n"
        + "The setting " + type + " of '" + room + "' was changed and has been restored per policy.";
  }
}
