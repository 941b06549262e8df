package be.praatbrug.policy.rooms;

/**
 * What the bot tells the counsellor about a family session, Dutch first and English second; people
 * by Matrix id and their place's number and client reference only.
 */
final class FamilyNotices {

  private FamilyNotices() {}

  static String placeName(RoomSnapshot room, int place) {
    String ref = place == Place.CLIENT ? room.clientRef()
        : room.place(place).map(Place::clientRef).orElse(null);
    return "plaats " + place + (ref == null ? "" : " (" + ref + ")");
  }

  private static String placeNameEn(RoomSnapshot room, int place) {
    return placeName(room, place).replace("plaats", "place");
  }

  static String admitted(RoomSnapshot room, String userId, int place) {
    return "✅ " + userId + " klopte aan bij '" + room.name() + "' met de code van "
        + placeName(room, place) + " en is toegelaten.\n" + userId + " knocked on '" + room.name()
        + "' with the code of " + placeNameEn(room, place) + " and was let in.";
  }

  static String entered(RoomSnapshot room, String userId, int place) {
    return "👋 " + userId + " (" + placeName(room, place) + ") is in '" + room.name() + "'.\n"
        + userId + " (" + placeNameEn(room, place) + ") is in '" + room.name() + "'.";
  }

  static String left(RoomSnapshot room, String userId, int place) {
    return "👋 " + userId + " (" + placeName(room, place) + ") heeft '" + room.name()
        + "' verlaten; de plaats blijft van die persoon en kan opnieuw aankloppen.\n" + userId + " ("
        + placeNameEn(room, place) + ") left '" + room.name() + "'; the place stays theirs and they"
        + " can knock again.";
  }

  static String placeTaken(RoomSnapshot room, String userId, int place) {
    return "🔒 " + userId + " probeerde '" + room.name() + "' binnen te komen met de code van "
        + placeName(room, place) + ", maar die plaats is al ingenomen door " + room.holderOf(place)
        + ". " + userId + " is geweerd.\n" + userId + " tried to enter '" + room.name()
        + "' with the code of " + placeNameEn(room, place) + ", but that place is already taken by "
        + room.holderOf(place) + ". " + userId + " was kept out.";
  }

  static String knockWithoutValidCode(RoomSnapshot room, String userId) {
    return "🚪 " + userId + " klopt aan bij gezinsgesprek '" + room.name() + "' zonder geldige code"
        + " van een plaats. Alleen wie een eigen plaats heeft, komt binnen. Weigeren: !gesprek weigeren "
        + userId + " " + room.name() + " — hoort de persoon erbij, stuur dan de link van de plaats"
        + " opnieuw: !gesprek code " + room.name() + " <plaats>\n" + userId + " is knocking on family"
        + " session '" + room.name() + "' without a valid code of a place. Only people with a place"
        + " of their own get in. Deny: !session deny " + userId + " " + room.name() + " — if they"
        + " belong, send their place's link again: !session code " + room.name() + " <place>";
  }

  static String notOnTheList(RoomSnapshot room, String userId) {
    return "🔒 " + userId + " kwam in gezinsgesprek '" + room.name() + "' zonder eigen plaats en is"
        + " verwijderd.\n" + userId + " entered family session '" + room.name() + "' without a place"
        + " of their own and was removed.";
  }

  static String inviteWithoutPlace(RoomSnapshot room, String userId) {
    return "🔒 De uitnodiging van " + userId + " in gezinsgesprek '" + room.name() + "' is ingetrokken:"
        + " iedereen komt binnen met de code van een eigen plaats. Voeg een plaats toe met !gesprek"
        + " deelnemer <naam of referentie> " + room.name() + "\nThe invite of " + userId
        + " to family session '" + room.name() + "' was withdrawn: everyone enters with the code of"
        + " a place of their own. Add a place with !session participant <name or reference> "
        + room.name();
  }
}
