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
    return "📝 " + userId + " kan nog niet binnen in '" + room + "': er is nog geen toestemming. Vraag "
        + userId + " om de bot een bericht te sturen met !toestemming en daarna opnieuw aan te kloppen.\n"
        + userId + " cannot enter '" + room + "' yet: no consent is on record. Ask " + userId
        + " to message the bot with !consent, then knock again.";
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
