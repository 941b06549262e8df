package be.praatbrug.bridge.rooms;

import static be.praatbrug.bridge.rooms.RoomFixture.BOT;
import static be.praatbrug.bridge.rooms.RoomFixture.LIEN;
import static be.praatbrug.bridge.rooms.RoomFixture.NOW;
import static be.praatbrug.bridge.rooms.RoomFixture.openRoom;
import static be.praatbrug.bridge.rooms.RoomFixture.stateEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.widget.CallWidgetState;
import be.praatbrug.policy.MatrixEvent;
import be.praatbrug.policy.rooms.Clients;
import be.praatbrug.policy.rooms.KnockCode;
import be.praatbrug.policy.rooms.Place;
import be.praatbrug.policy.rooms.PolicyContext;
import be.praatbrug.policy.rooms.RoomPolicyDecider;
import be.praatbrug.policy.rooms.RoomSnapshot;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoomRegistryTest {

  @Test
  void clientsInSessionFollowPutForgetAndStatusChanges() {
    RoomRegistry registry = new RoomRegistry();
    assertEquals(Set.of(), registry.clientsInSession());

    registry.put(openRoom("!a:caw.test", "@anna:caw.test"));
    registry.put(openRoom("!b:caw.test", null));
    assertEquals(Set.of("@anna:caw.test"), registry.clientsInSession());

    registry.put(registry.room("!b:caw.test").withSessionStarted("@bert:caw.test", "C-1", NOW));
    assertEquals(Set.of("@anna:caw.test", "@bert:caw.test"), registry.clientsInSession());

    registry.put(registry.room("!a:caw.test").closedAt(NOW));
    assertEquals(Set.of("@bert:caw.test"), registry.clientsInSession());

    registry.put(registry.room("!b:caw.test").deleted());
    assertEquals(Set.of(), registry.clientsInSession());

    registry.put(openRoom("!c:caw.test", "@cor:caw.test"));
    assertEquals(Set.of("@cor:caw.test"), registry.clientsInSession());
    registry.forget("!c:caw.test");
    assertEquals(Set.of(), registry.clientsInSession());
  }

  @Test
  void clientsInSessionAreComputedOncePerChangeOfTheRooms() {
    RoomRegistry registry = new RoomRegistry();
    registry.put(openRoom("!a:caw.test", "@anna:caw.test"));
    Set<String> first = registry.clientsInSession();
    // Events and state do not change who is in session: the same set, not computed again.
    registry.loadState("!a:caw.test", new JsonArray().add(stateEvent("m.room.member", LIEN,
        Map.of("membership", "join"))));
    registry.setMembership("!a:caw.test", "@anna:caw.test", "join");
    assertSame(first, registry.clientsInSession());
    assertThrows(UnsupportedOperationException.class, () -> first.add("@x:caw.test"));
    // Clients takes an unmodifiable set as it is, so an event does not copy it either.
    assertSame(first, new Clients("praatbrug_guest_", first).inSession());

    registry.put(registry.room("!a:caw.test").withCounsellor("@jan:caw.test"));
    Set<String> after = registry.clientsInSession();
    assertNotSame(first, after);
    assertEquals(first, after);
  }

  @Test
  void keepsMembersAndTheStateThePolicyReadsAndDropsTheRest() {
    RoomRegistry registry = new RoomRegistry();
    registry.put(openRoom("!a:caw.test", null));
    registry.loadState("!a:caw.test", new JsonArray()
        .add(stateEvent("m.room.create", "", Map.of("creator", BOT, "room_version", "10")))
        .add(stateEvent("m.room.name", "", Map.of("name", "rustige-groene-boot")))
        .add(stateEvent("m.room.topic", "", Map.of("topic", "Gesprek")))
        .add(stateEvent("m.room.join_rules", "", Map.of("join_rule", "knock")))
        .add(stateEvent("m.room.encryption", "", Map.of("algorithm", "m.megolm.v1.aes-sha2")))
        .add(stateEvent(CallWidgetState.WIDGET_EVENT_TYPE, CallWidgetState.WIDGET_ID, Map.of("type", "m.custom")))
        .add(stateEvent(CallWidgetState.LAYOUT_EVENT_TYPE, "", Map.of("widgets", Map.of())))
        .add(stateEvent("org.example.custom", "x", Map.of("big", "x".repeat(1000))))
        .add(stateEvent("m.room.member", LIEN, Map.of("membership", "join")))
        .add(stateEvent("m.room.member", BOT, Map.of("membership", "join"))));

    RoomSnapshot snapshot = registry.snapshot("!a:caw.test", NOW);
    assertEquals(Set.of("m.room.join_rules|", "m.room.encryption|",
        CallWidgetState.WIDGET_EVENT_TYPE + "|" + CallWidgetState.WIDGET_ID,
        CallWidgetState.LAYOUT_EVENT_TYPE + "|"), snapshot.state().keySet());
    assertEquals(Map.of("join_rule", "knock"), snapshot.stateContent("m.room.join_rules"));
    assertEquals(Map.of(LIEN, "join", BOT, "join"), snapshot.memberships());

    // Events the homeserver accepted later are filtered the same way.
    registry.apply(new MatrixEvent("!a:caw.test", "$1", LIEN, "m.room.topic", "", Map.of("topic", "x")));
    registry.apply(new MatrixEvent("!a:caw.test", "$2", BOT, "m.room.history_visibility", "",
        Map.of("history_visibility", "joined")));
    registry.apply(new MatrixEvent("!a:caw.test", "$3", LIEN, "m.room.member", "@anna:caw.test",
        Map.of("membership", "invite")));
    snapshot = registry.snapshot("!a:caw.test", NOW);
    assertEquals(null, snapshot.state().get("m.room.topic|"));
    assertEquals(Map.of("history_visibility", "joined"), snapshot.stateContent("m.room.history_visibility"));
    assertEquals("invite", snapshot.membership("@anna:caw.test"));
  }

  /**
   * The other side of dropping state: everything the policy compares is still there. A room whose
   * homeserver state is exactly what its policy wants (calls on, so with the widget) needs no
   * repair; had the registry dropped any of it, reconciliation would put it back.
   */
  @Test
  void aRoomThatMeetsItsPolicyNeedsNoRepairAfterLoading() throws Exception {
    PolicyRepository policies = RoomFixture.policies();
    assertTrue(policies.get("caw").callWidget(), "the test needs a policy with the call widget");
    PolicyContext context = RoomFixture.context(policies);
    Map<String, Map<String, Object>> expected = context.expectedState(LIEN, true);
    expected.keySet().forEach(key -> assertTrue(RoomRegistry.KEPT_STATE_TYPES.contains(
        key.substring(0, key.indexOf('|'))), key + " is read by the policy"));

    RoomRegistry registry = new RoomRegistry();
    registry.put(openRoom("!a:caw.test", null));
    registry.loadState("!a:caw.test", RoomFixture.stateMeetingPolicy(context));

    RoomSnapshot snapshot = registry.snapshot("!a:caw.test", NOW);
    assertEquals(expected.keySet(), snapshot.state().keySet());
    assertEquals(List.of(), RoomPolicyDecider.reconcile(context, snapshot));
  }

  /**
   * With thousands of rooms the same settings recur: equal contents are kept once and shared, as
   * immutable copies (so one room's change cannot leak into another), JSON nulls and nesting kept.
   */
  @Test
  void equalStateOfDifferentRoomsIsKeptOnceAndCannotBeChanged() {
    RoomRegistry registry = new RoomRegistry();
    Map<String, Object> powerLevels = new java.util.HashMap<>(Map.of("users", Map.of(LIEN, 100, BOT, 100),
        "events", Map.of("m.room.name", 50), "invite", 100));
    powerLevels.put("notifications", null);
    powerLevels.put("list", List.of("a", Map.of("b", 1)));
    for (String room : List.of("!a:caw.test", "!b:caw.test")) {
      registry.put(openRoom(room, null));
      registry.loadState(room, new JsonArray()
          .add(stateEvent("m.room.power_levels", "", powerLevels))
          .add(stateEvent("m.room.member", LIEN, Map.of("membership", "join"))));
    }
    registry.apply(new MatrixEvent("!b:caw.test", "$1", BOT, "m.room.join_rules", "", Map.of("join_rule", "knock")));
    registry.apply(new MatrixEvent("!a:caw.test", "$2", BOT, "m.room.join_rules", "", Map.of("join_rule", "knock")));

    RoomSnapshot a = registry.snapshot("!a:caw.test", NOW);
    RoomSnapshot b = registry.snapshot("!b:caw.test", NOW);
    assertEquals(powerLevels, a.stateContent("m.room.power_levels"));
    assertSame(a.stateContent("m.room.power_levels"), b.stateContent("m.room.power_levels"));
    assertSame(a.stateContent("m.room.join_rules"), b.stateContent("m.room.join_rules"));
    assertSame(a.memberships().keySet().iterator().next(), b.memberships().keySet().iterator().next());
    assertThrows(UnsupportedOperationException.class, () -> a.stateContent("m.room.join_rules").put("join_rule", "public"));
    assertThrows(UnsupportedOperationException.class,
        () -> ((Map<String, Object>) a.stateContent("m.room.power_levels").get("users")).put("@x:caw.test", 100));

    // A later change in one room leaves the other as it was.
    registry.apply(new MatrixEvent("!b:caw.test", "$3", BOT, "m.room.join_rules", "", Map.of("join_rule", "invite")));
    assertEquals(Map.of("join_rule", "knock"), registry.snapshot("!a:caw.test", NOW).stateContent("m.room.join_rules"));
    assertEquals(Map.of("join_rule", "invite"), registry.snapshot("!b:caw.test", NOW).stateContent("m.room.join_rules"));
  }

  @Test
  void aFamilySessionsPlacesAreInItsSnapshot() {
    RoomRegistry registry = new RoomRegistry();
    registry.put(openRoom("!a:caw.test", null));
    assertEquals(List.of(), registry.snapshot("!a:caw.test", NOW).places());

    List<Place> named = List.of(new Place(2, "C-BBBB-BBBB", "@mother:caw.test"),
        new Place(3, "C-CCCC-CCCC", null));
    registry.setPlaces("!a:caw.test", named);

    RoomSnapshot snapshot = registry.snapshot("!a:caw.test", NOW);
    assertEquals(named, snapshot.places());
    assertEquals(named, registry.places("!a:caw.test"));
    assertEquals(2, snapshot.placeOf("@mother:caw.test"));
    assertEquals("@mother:caw.test", snapshot.holderOf(2));
    assertEquals(null, snapshot.holderOf(3));
    registry.setPlaces("!a:caw.test", List.of());
    assertEquals(List.of(), registry.snapshot("!a:caw.test", NOW).places());
    registry.setPlaces("!a:caw.test", named);
    registry.forget("!a:caw.test");
    assertEquals(List.of(), registry.places("!a:caw.test"));
  }

  @Test
  void placeHoldersCountAsClientsInSession() {
    RoomRegistry registry = new RoomRegistry();
    registry.put(openRoom("!a:caw.test", "@pupil:caw.test"));
    registry.put(openRoom("!b:caw.test", null));
    Set<String> before = registry.clientsInSession();
    assertEquals(Set.of("@pupil:caw.test"), before);

    registry.setPlaces("!a:caw.test", List.of(new Place(2, "C-BBBB-BBBB", "@mother:caw.test"),
        new Place(3, "C-CCCC-CCCC", null)));
    registry.setPlaces("!b:caw.test", List.of(new Place(2, "C-DDDD-DDDD", "@father:caw.test")));

    // Not the set computed before: taking a place changes who is in session at once.
    assertEquals(Set.of("@pupil:caw.test", "@mother:caw.test", "@father:caw.test"),
        registry.clientsInSession());
    registry.put(registry.room("!b:caw.test").closedAt(NOW));
    assertEquals(Set.of("@pupil:caw.test", "@mother:caw.test"), registry.clientsInSession());
    registry.setPlaces("!a:caw.test", List.of());
    assertEquals(Set.of("@pupil:caw.test"), registry.clientsInSession());
  }

  @Test
  void aRecordsTakenPlacesInOpenRoomsAreWhereItsWithdrawalApplies() {
    RoomRegistry registry = new RoomRegistry();
    registry.put(openRoom("!a:caw.test", null));
    registry.put(openRoom("!b:caw.test", null));
    registry.put(openRoom("!c:caw.test", null));
    registry.put(openRoom("!d:caw.test", null));
    registry.setPlaces("!a:caw.test", List.of(new Place(2, "C-BBBB-BBBB", "@mother:caw.test"),
        new Place(3, "C-CCCC-CCCC", "@father:caw.test")));
    // Named but not taken: nobody to remove.
    registry.setPlaces("!b:caw.test", List.of(new Place(2, "C-BBBB-BBBB", null)));
    registry.setPlaces("!c:caw.test", List.of(new Place(3, "C-BBBB-BBBB", "@mother2:caw.test")));
    registry.setPlaces("!d:caw.test", List.of(new Place(2, "C-BBBB-BBBB", "@mother3:caw.test")));
    registry.put(registry.room("!d:caw.test").closedAt(NOW));

    assertEquals(Map.of("!a:caw.test", "@mother:caw.test", "!c:caw.test", "@mother2:caw.test"),
        registry.openPlacesOf("C-BBBB-BBBB"));
    assertEquals(Map.of("!a:caw.test", "@father:caw.test"), registry.openPlacesOf("C-CCCC-CCCC"));
    assertEquals(Map.of(), registry.openPlacesOf("C-ZZZZ-ZZZZ"));
  }

  @Test
  void aPlacesCodesAreReplacedWithoutTouchingTheOtherPlaces() {
    RoomRegistry registry = new RoomRegistry();
    registry.put(openRoom("!a:caw.test", null));
    KnockCode client = new KnockCode("client", NOW.plusSeconds(60), true);
    KnockCode mother = new KnockCode("mother", NOW.plusSeconds(60), true, null, 2);
    KnockCode father = new KnockCode("father", NOW.plusSeconds(60), true, null, 3);
    registry.setCodes("!a:caw.test", List.of(client, mother, father));

    KnockCode motherAgain = new KnockCode("mother-2", NOW.plusSeconds(60), true, null, 2);
    registry.setCodes("!a:caw.test", 2, List.of(motherAgain));
    assertEquals(Set.of(client, motherAgain, father),
        Set.copyOf(registry.snapshot("!a:caw.test", NOW).codes()));
    registry.setCodes("!a:caw.test", Place.CLIENT, List.of());
    assertEquals(Set.of(motherAgain, father), Set.copyOf(registry.snapshot("!a:caw.test", NOW).codes()));
    // A room without codes yet gets its first.
    registry.put(openRoom("!b:caw.test", null));
    registry.setCodes("!b:caw.test", 3, List.of(father));
    assertEquals(List.of(father), registry.snapshot("!b:caw.test", NOW).codes());
  }

  @Test
  void aRecordsOpenFamilySessionsAndWhoKnocksThere() {
    RoomRegistry registry = new RoomRegistry();
    registry.put(openRoom("!a:caw.test", null).withSessionStarted("@pupil:caw.test", "C-AAAA-AAAA", NOW));
    registry.put(openRoom("!b:caw.test", null));
    registry.put(openRoom("!c:caw.test", null));
    registry.setPlaces("!a:caw.test", List.of(new Place(2, "C-BBBB-BBBB", null)));
    registry.setPlaces("!b:caw.test", List.of(new Place(2, "C-BBBB-BBBB", null)));
    registry.put(registry.room("!b:caw.test").closedAt(NOW));
    registry.setMembership("!a:caw.test", "@mother:caw.test", "knock");
    registry.setMembership("!a:caw.test", "@pupil:caw.test", "join");

    // By the client's record or a named place's; closed rooms and one-to-one rooms are not.
    assertEquals(List.of("!a:caw.test"), registry.openFamilyRoomsWith("C-AAAA-AAAA"));
    assertEquals(List.of("!a:caw.test"), registry.openFamilyRoomsWith("C-BBBB-BBBB"));
    assertEquals(List.of(), registry.openFamilyRoomsWith("C-ZZZZ-ZZZZ"));
    assertEquals(List.of("@mother:caw.test"), registry.knockersIn("!a:caw.test"));
    assertEquals(List.of(), registry.knockersIn("!c:caw.test"));
  }
}
